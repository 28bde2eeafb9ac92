package org.trovej.api.backup;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface BackupRepository extends JpaRepository<Backup, String> {

    /** Trove's BackupState.RUNNING_STATES. */
    String RUNNING = "('NEW', 'BUILDING', 'SAVING')";

    @Query("select distinct b.instanceId from Backup b where b.instanceId in :instanceIds and b.deleted = false "
            + "and b.state in " + RUNNING)
    List<String> instancesWithRunningBackup(@Param("instanceIds") Collection<String> instanceIds);

    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update Backup b set b.state = 'FAILED', b.updated = :now where b.instanceId = :instanceId "
            + "and b.deleted = false and b.state in " + RUNNING)
    int failRunning(@Param("instanceId") String instanceId, @Param("now") LocalDateTime now);

    Optional<Backup> findByIdAndDeletedFalse(String id);

    /** Every project's count of live backups. */
    @Query("select new org.trovej.api.backup.ProjectBackups(b.tenantId, count(b)) from Backup b "
            + "where b.deleted = false and b.tenantId is not null group by b.tenantId")
    List<ProjectBackups> liveCountByProject();

    boolean existsByDatastoreVersionIdAndDeletedFalse(String datastoreVersionId);
}
