package org.trovej.api.backup;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The owner of {@code backups} in the API. */
public interface BackupRepository extends JpaRepository<Backup, String> {

    /** Trove's BackupState.RUNNING_STATES. */
    String RUNNING = "('NEW', 'BUILDING', 'SAVING')";

    /**
     * Trove's backup list order: the most recently updated first (the id only makes the order of equal times
     * stable, so an offset marker never skips or repeats a row).
     */
    String NEWEST_FIRST = " order by b.updated desc, b.id limit :limit offset :offset";

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

    /**
     * A page of live backups (Trove's Backup.list): one project's or, with a null project, every project's; of one
     * instance and of one datastore when those are given.
     */
    @Query("select b from Backup b where b.deleted = false and (:tenantId is null or b.tenantId = :tenantId) "
            + "and (:instanceId is null or b.instanceId = :instanceId) "
            + "and (:datastoreId is null or b.datastoreVersionId in "
            + "(select v.id from DatastoreVersion v where v.datastoreId = :datastoreId))" + NEWEST_FIRST)
    List<Backup> page(@Param("tenantId") String tenantId, @Param("instanceId") String instanceId,
                      @Param("datastoreId") String datastoreId, @Param("offset") int offset,
                      @Param("limit") int limit);

    /** The newest COMPLETED live backup of an instance, in one project or (null) any: an incremental's parent. */
    @Query("select b from Backup b where b.deleted = false and b.instanceId = :instanceId and b.state = 'COMPLETED' "
            + "and (:tenantId is null or b.tenantId = :tenantId) order by b.updated desc, b.id")
    List<Backup> newestCompleted(@Param("instanceId") String instanceId, @Param("tenantId") String tenantId,
                                 Limit limit);

    /** The live backups whose parent this is (incrementals taken on top of it). */
    List<Backup> findByParentIdAndDeletedFalseOrderById(String parentId);
}
