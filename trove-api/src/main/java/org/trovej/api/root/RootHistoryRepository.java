package org.trovej.api.root;

import java.time.LocalDateTime;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface RootHistoryRepository extends JpaRepository<RootHistory, String> {

    /**
     * Trove's RootHistory.create in one statement: a first record, or a new one over a record that was disabled;
     * a record still enabled is kept as it is.
     */
    @Modifying
    @Query(nativeQuery = true, value = """
            INSERT INTO root_enabled_history (instance_id, user_id, created) VALUES (:instanceId, :userId, :now)
            ON CONFLICT (instance_id) DO UPDATE SET user_id = EXCLUDED.user_id, created = EXCLUDED.created,
                deleted_at = NULL
            WHERE root_enabled_history.deleted_at IS NOT NULL
              AND root_enabled_history.deleted_at >= root_enabled_history.created
            """)
    int recordEnabled(@Param("instanceId") String instanceId, @Param("userId") String userId,
                      @Param("now") LocalDateTime now);

    /** Trove's RootHistory.delete: the record stays, stamped with when root was disabled. */
    @Modifying
    @Query(nativeQuery = true, value = "UPDATE root_enabled_history SET deleted_at = :now WHERE instance_id = :instanceId")
    int recordDisabled(@Param("instanceId") String instanceId, @Param("now") LocalDateTime now);
}
