package org.trovej.api.datastore;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface DatastoreVersionRepository extends JpaRepository<DatastoreVersion, String> {

    List<DatastoreVersion> findByDatastoreIdOrderByName(String datastoreId);

    List<DatastoreVersion> findByDatastoreIdAndActiveTrueOrderByName(String datastoreId);

    List<DatastoreVersion> findAllByOrderByName();

    List<DatastoreVersion> findByActiveTrueOrderByName();

    Optional<DatastoreVersion> findByDatastoreIdAndId(String datastoreId, String id);

    List<DatastoreVersion> findByDatastoreIdAndName(String datastoreId, String name);

    Optional<DatastoreVersion> findByDatastoreIdAndNameAndVersion(String datastoreId, String name, String version);

    List<DatastoreVersion> findByIdIn(Collection<String> ids);
}
