package org.trovej.api.backup;

import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.trovej.api.web.Timestamps;

/** What instances need to know about backups: whether one is running, and failing them on a reset. */
@Service
@Transactional(propagation = Propagation.MANDATORY)
public class BackupService {

    private final BackupRepository backups;

    public BackupService(BackupRepository backups) {
        this.backups = backups;
    }

    public boolean running(String instanceId) {
        return !backups.instancesWithRunningBackup(Set.of(instanceId)).isEmpty();
    }

    /** Trove's {@code Backup.fail_for_instance}. */
    public int failRunning(String instanceId) {
        return backups.failRunning(instanceId, Timestamps.nowUtc());
    }

    public Optional<Backup> find(String backupId) {
        return backups.findByIdAndDeletedFalse(backupId);
    }
}
