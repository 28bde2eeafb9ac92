package org.trovej.taskmanager.schedule;

import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which of one instance's scheduled backups have expired, oldest first. Kept are:
 * <ul>
 *   <li>the newest {@code keepCount} completed scheduled backups, and those made within {@code keepDays} (either
 *       rule keeping a backup is enough);</li>
 *   <li>always the newest completed one, which the next scheduled incremental builds on;</li>
 *   <li>every backup the schedule did not make, and every scheduled backup still running;</li>
 *   <li>a failed scheduled backup newer than the newest completed one (the news of the last runs);</li>
 *   <li>with {@code keepDays} on an instance that ships its log (point-in-time restore), also the newest completed
 *       one made before those days: a restore to any moment of the days starts from it;</li>
 *   <li>every ancestor of a kept backup: an incremental is restored from its whole chain.</li>
 * </ul>
 * A backup whose delete failed is left for a person to look at.
 */
final class RetentionPlan {

    private RetentionPlan() {
    }

    static List<ScheduleRecords.Kept> expired(List<ScheduleRecords.Kept> backups, Integer keepCount,
                                              Integer keepDays, LocalDateTime now) {
        return expired(backups, keepCount, keepDays, now, false);
    }

    /** @param shipsLog the instance ships its log for point-in-time restore */
    static List<ScheduleRecords.Kept> expired(List<ScheduleRecords.Kept> backups, Integer keepCount,
                                              Integer keepDays, LocalDateTime now, boolean shipsLog) {
        Map<String, ScheduleRecords.Kept> byId = backups.stream()
                .collect(Collectors.toMap(ScheduleRecords.Kept::id, Function.identity()));
        List<ScheduleRecords.Kept> completed = backups.stream()
                .filter(b -> b.slot() != null && "COMPLETED".equals(b.state()))
                .sorted(Comparator.comparing(ScheduleRecords.Kept::slot).reversed()).toList();
        Set<String> keep = new HashSet<>();
        for (ScheduleRecords.Kept b : backups) {
            if (b.slot() == null || !("COMPLETED".equals(b.state()) || "FAILED".equals(b.state()))) {
                keep.add(b.id());
            }
        }
        if (!completed.isEmpty()) {
            keep.add(completed.get(0).id());
        }
        for (int i = 0; i < completed.size(); i++) {
            ScheduleRecords.Kept b = completed.get(i);
            if ((keepCount != null && i < keepCount)
                    || (keepDays != null && !b.slot().isBefore(now.minusDays(keepDays)))) {
                keep.add(b.id());
            }
        }
        if (shipsLog && keepDays != null) {
            completed.stream().filter(b -> b.slot().isBefore(now.minusDays(keepDays))).findFirst()
                    .ifPresent(base -> keep.add(base.id()));
        }
        LocalDateTime newestCompleted = completed.isEmpty() ? null : completed.get(0).slot();
        for (ScheduleRecords.Kept b : backups) {
            if (b.slot() != null && "FAILED".equals(b.state())
                    && (newestCompleted == null || b.slot().isAfter(newestCompleted))) {
                keep.add(b.id());
            }
        }
        for (String id : Set.copyOf(keep)) {
            ScheduleRecords.Kept b = byId.get(id);
            int depth = 0;
            while (b != null && b.parentId() != null && depth++ < 10_000) {
                keep.add(b.parentId());
                b = byId.get(b.parentId());
            }
        }
        return backups.stream().filter(b -> !keep.contains(b.id()))
                .sorted(Comparator.comparing(ScheduleRecords.Kept::slot)).toList();
    }
}
