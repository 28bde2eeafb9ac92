package org.trovej.api.schedule;

import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * An instance's schedule for its detail view, if it has one: read for the instance feature, which has already
 * checked that the caller may see the instance (and which {@link BackupScheduleService} builds on, so this reader
 * stays apart from it).
 */
@Component
public class InstanceBackupSchedules {

    private final BackupScheduleRecords records;

    InstanceBackupSchedules(BackupScheduleRecords records) {
        this.records = records;
    }

    public Optional<BackupScheduleView> of(String instanceId) {
        return records.find(instanceId).map(BackupScheduleView::of);
    }
}
