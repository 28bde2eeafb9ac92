package org.trovej.service.pitr;

import java.util.List;

import org.trovej.common.pitr.PointInTime;

/**
 * How to restore an instance to a moment: the backup to start from (with its chain) and the point-in-time part of
 * the guest's {@code backup_info}.
 */
public record RestorePlan(String baseBackupId, PointInTime pointInTime) {

    /** The shipped objects' locations, which the guest's store grant must let it read. */
    public List<String> logLocations() {
        return pointInTime.logs().stream().map(PointInTime.LogObject::location).toList();
    }
}
