package org.trovej.taskmanager.schedule;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.trovej.common.backup.BackupState;
import org.trovej.taskmanager.backup.BackupRecords;

/**
 * Full or incremental, for a schedule's next backup: every {@code fullEvery}th scheduled backup is full; the others
 * are incremental on the newest completed scheduled backup, as long as its chain back to its full holds fewer than
 * {@code fullEvery - 1} incrementals. A failed run breaks nothing: the next one builds on the newest that completed.
 */
final class ScheduledChain {

    private ScheduledChain() {
    }

    /**
     * @param newestFirst the instance's newest scheduled backups, newest first
     * @return the parent for the next backup, or null for a full one
     */
    static BackupRecords.Scheduled parent(List<BackupRecords.Scheduled> newestFirst, int fullEvery) {
        if (fullEvery <= 1) {
            return null;
        }
        BackupRecords.Scheduled base = newestFirst.stream().filter(b -> b.state() == BackupState.COMPLETED)
                .findFirst().orElse(null);
        if (base == null || base.location() == null) {
            return null;
        }
        Map<String, BackupRecords.Scheduled> byId = new HashMap<>();
        newestFirst.forEach(b -> byId.put(b.id(), b));
        int depth = 0;
        for (BackupRecords.Scheduled b = base; b.parentId() != null; depth++) {
            b = byId.get(b.parentId());
            if (b == null) {
                return null; // its chain reaches past what was read, or into a backup the schedule did not make
            }
        }
        return depth + 1 < fullEvery ? base : null;
    }
}
