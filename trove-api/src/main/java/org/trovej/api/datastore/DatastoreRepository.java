package org.trovej.api.datastore;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface DatastoreRepository extends JpaRepository<Datastore, String> {

    Optional<Datastore> findByName(String name);

    List<Datastore> findAllByOrderByName();

    @Query("select d from Datastore d where exists (select v.id from DatastoreVersion v "
            + "where v.datastoreId = d.id and v.active = true) order by d.name")
    List<Datastore> findWithActiveVersionOrderByName();

    /** Pending inserts go first: the default must be a stored version. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update Datastore d set d.defaultVersionId = :versionId where d.id = :id")
    int makeDefault(@Param("id") String datastoreId, @Param("versionId") String versionId);

    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update Datastore d set d.defaultVersionId = null where d.id = :id")
    int clearDefault(@Param("id") String datastoreId);
}
