package org.trovej.api.datastore;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface DatastoreVersionMetadataRepository extends JpaRepository<DatastoreVersionMetadata, String> {

    /** The flavors a version is restricted to; none means every flavor is allowed. */
    @Query("select m.value from DatastoreVersionMetadata m where m.datastoreVersionId = :versionId "
            + "and m.metadataKey = 'flavor' and m.deleted = false")
    List<String> boundFlavorIds(@Param("versionId") String versionId);
}
