package org.trovej.api.backup;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The owner of {@code backup_strategy} in the API. */
public interface BackupStrategyRepository extends JpaRepository<BackupStrategy, String> {

    /**
     * Trove's BackupStrategy.create (update the project's strategy for the instance, else create one) as one
     * statement, so two requests at once cannot both insert. The backend is always Trove's "swift".
     */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query(value = "INSERT INTO backup_strategy (id, tenant_id, instance_id, backend, swift_container, created, "
            + "updated) VALUES (:id, :tenantId, :instanceId, 'swift', :container, :now, :now) "
            + "ON CONFLICT (tenant_id, instance_id) DO UPDATE SET swift_container = EXCLUDED.swift_container, "
            + "updated = EXCLUDED.updated", nativeQuery = true)
    void upsert(@Param("id") String id, @Param("tenantId") String tenantId, @Param("instanceId") String instanceId,
                @Param("container") String container, @Param("now") LocalDateTime now);

    Optional<BackupStrategy> findByTenantIdAndInstanceId(String tenantId, String instanceId);

    /** A project's strategies, or ({@code instanceId} non-null) its strategy for one instance. */
    @Query("select s from BackupStrategy s where s.tenantId = :tenantId "
            + "and (:instanceId is null or s.instanceId = :instanceId) order by s.instanceId, s.created")
    List<BackupStrategy> list(@Param("tenantId") String tenantId, @Param("instanceId") String instanceId);

    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("delete from BackupStrategy s where s.tenantId = :tenantId and s.instanceId = :instanceId")
    int deleteOne(@Param("tenantId") String tenantId, @Param("instanceId") String instanceId);
}
