package org.trovej.taskmanager.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trovej.common.backup.BackupState;
import org.trovej.taskmanager.backup.BackupRecords;

/** Every Nth scheduled backup full, the others incremental on the newest completed one. */
class ScheduledChainTest {

    /** Newest first, as BackupRecords.newestScheduled reads them. */
    private final List<BackupRecords.Scheduled> made = new ArrayList<>();

    private BackupRecords.Scheduled run(int fullEvery, BackupState outcome) {
        BackupRecords.Scheduled parent = ScheduledChain.parent(made, fullEvery);
        String id = "b" + made.size();
        made.add(0, new BackupRecords.Scheduled(id, outcome, parent == null ? null : parent.id(), "loc/" + id,
                "sum"));
        return made.get(0);
    }

    @Test
    void everyThirdIsFullTheOthersBuildOnThePreviousOne() {
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            parents.add(String.valueOf(run(3, BackupState.COMPLETED).parentId()));
        }
        assertThat(parents).containsExactly("null", "b0", "b1", "null", "b3", "b4", "null");
    }

    @Test
    void oneMeansAllFullAndAFailedRunIsSkippedOver() {
        assertThat(run(1, BackupState.COMPLETED).parentId()).isNull();
        assertThat(run(1, BackupState.COMPLETED).parentId()).isNull();
        made.clear();
        run(4, BackupState.COMPLETED);
        run(4, BackupState.FAILED);
        assertThat(run(4, BackupState.COMPLETED).parentId()).as("on the newest completed").isEqualTo("b0");
        made.clear();
        run(4, BackupState.FAILED);
        assertThat(run(4, BackupState.COMPLETED).parentId()).as("nothing completed yet: full").isNull();
    }

    @Test
    void aChainReachingPastWhatWasReadStartsAFullOne() {
        made.add(new BackupRecords.Scheduled("i", BackupState.COMPLETED, "unknown", "loc/i", "sum"));
        assertThat(ScheduledChain.parent(made, 5)).isNull();
    }
}
