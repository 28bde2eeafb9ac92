package org.trovej.api.configuration;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface ConfigurationRepository extends JpaRepository<Configuration, String> {

    boolean existsByDatastoreVersionIdAndDeletedFalse(String datastoreVersionId);

    Optional<Configuration> findByIdAndDeletedFalse(String id);

    /** The row, locked until the transaction ends: two changes of one group's values never interleave. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from Configuration c where c.id = :id and c.deleted = false")
    Optional<Configuration> lockById(@Param("id") String id);

    /** A page of a project's groups (every project's when {@code tenantId} is null), ids ascending after the marker. */
    @Query("select c from Configuration c where c.deleted = false and (:tenantId is null or c.tenantId = :tenantId) "
            + "and c.id > :marker order by c.id")
    List<Configuration> page(@Param("tenantId") String tenantId, @Param("marker") String marker, Limit limit);
}
