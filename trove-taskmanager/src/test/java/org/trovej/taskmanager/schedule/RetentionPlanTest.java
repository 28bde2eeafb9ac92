package org.trovej.taskmanager.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What retention deletes: outside both rules, never a chain a kept backup needs, never what it did not make. */
class RetentionPlanTest {

    private static final LocalDateTime NOW = LocalDateTime.parse("2026-12-04T12:00:00");

    private final List<ScheduleRecords.Kept> backups = new ArrayList<>();

    private String add(String id, String parent, String state, int minutesAgo, boolean scheduled) {
        LocalDateTime at = NOW.minusMinutes(minutesAgo);
        backups.add(new ScheduleRecords.Kept("i", id, parent, state, scheduled ? at : null, at, "p", null, null));
        return id;
    }

    private List<String> expired(Integer keepCount, Integer keepDays) {
        return RetentionPlan.expired(backups, keepCount, keepDays, NOW).stream().map(ScheduleRecords.Kept::id)
                .toList();
    }

    @Test
    void keepsTheNewestCountOfFullsAndDeletesTheRestOldestFirst() {
        for (int i = 1; i <= 5; i++) {
            add("f" + i, null, "COMPLETED", 60 - i, true);
        }
        assertThat(expired(3, null)).containsExactly("f1", "f2");
        assertThat(expired(5, null)).isEmpty();
    }

    @Test
    void aKeptIncrementalKeepsItsWholeChain() {
        add("f1", null, "COMPLETED", 50, true);
        add("i1", "f1", "COMPLETED", 40, true);
        add("f2", null, "COMPLETED", 30, true);
        add("i2", "f2", "COMPLETED", 20, true);
        // keep 3 would be i2, f2, i1: i1 needs f1
        assertThat(expired(3, null)).isEmpty();
        add("f3", null, "COMPLETED", 10, true);
        assertThat(expired(3, null)).containsExactly("f1", "i1");
    }

    @Test
    void eitherRuleKeepsABackupAndTheNewestIsAlwaysKept() {
        add("old", null, "COMPLETED", 3 * 24 * 60, true);
        add("day", null, "COMPLETED", 12 * 60, true);
        add("hour", null, "COMPLETED", 60, true);
        assertThat(expired(1, 1)).containsExactly("old");
        assertThat(expired(null, 1)).containsExactly("old");
        backups.removeIf(b -> !b.id().equals("old"));
        assertThat(expired(null, 1)).as("the newest completed one, though older than the days").isEmpty();
    }

    @Test
    void withTheLogShippedTheNewestBackupBeforeTheDaysStaysForTheWindowsStart() {
        add("three-days", null, "COMPLETED", 3 * 24 * 60, true);
        add("two-days", null, "COMPLETED", 2 * 24 * 60, true);
        add("hour", null, "COMPLETED", 60, true);
        assertThat(expired(null, 1)).containsExactly("three-days", "two-days");
        assertThat(RetentionPlan.expired(backups, null, 1, NOW, true)).extracting(ScheduleRecords.Kept::id)
                .as("a restore to a day ago starts from the backup of two days ago").containsExactly("three-days");
    }

    @Test
    void whatTheScheduleDidNotMakeAndRunningBackupsStay() {
        add("manual", null, "COMPLETED", 100, false);
        add("f1", null, "COMPLETED", 90, true);
        add("manualIncrement", "f1", "COMPLETED", 85, false);
        add("f2", null, "COMPLETED", 80, true);
        add("f3", null, "COMPLETED", 70, true);
        add("running", null, "BUILDING", 1, true);
        add("broken", null, "DELETE_FAILED", 95, true);
        assertThat(expired(1, null)).as("f1 is a manual incremental's parent").containsExactly("f2");
    }

    @Test
    void failedRunsGoOnceANewerOneCompleted() {
        add("f1", null, "COMPLETED", 50, true);
        add("x1", null, "FAILED", 40, true);
        add("f2", null, "COMPLETED", 30, true);
        add("x2", null, "FAILED", 20, true);
        assertThat(expired(5, null)).containsExactly("x1");
    }
}
