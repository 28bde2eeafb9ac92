package org.trovej.api.datastore;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface DatastoreVersionRepository extends JpaRepository<DatastoreVersion, String> {

    List<DatastoreVersion> findByDatastoreIdOrderByName(String datastoreId);

    List<DatastoreVersion> findByDatastoreIdAndActiveTrueOrderByName(String datastoreId);

    List<DatastoreVersion> findAllByOrderByName();

    List<DatastoreVersion> findByActiveTrueOrderByName();

    Optional<DatastoreVersion> findByDatastoreIdAndId(String datastoreId, String id);

    List<DatastoreVersion> findByDatastoreIdAndName(String datastoreId, String name);

    Optional<DatastoreVersion> findByDatastoreIdAndNameAndVersion(String datastoreId, String name, String version);

    List<DatastoreVersion> findByIdIn(Collection<String> ids);

    String WITH_DATASTORE = "select new org.trovej.api.datastore.DatastoreVersionRow(v, d) "
            + "from DatastoreVersion v join Datastore d on d.id = v.datastoreId ";

    /** Every version with its datastore, by datastore name, then version name and number. */
    @Query(WITH_DATASTORE + "order by d.name, v.name, v.version")
    List<DatastoreVersionRow> findAllWithDatastore();

    @Query(WITH_DATASTORE + "where v.id = :id")
    Optional<DatastoreVersionRow> findWithDatastore(@Param("id") String id);

    /** The version's row, locked until the transaction ends (its datastore's row is not). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select v from DatastoreVersion v where v.id = :id")
    Optional<DatastoreVersion> lockById(@Param("id") String id);
}
