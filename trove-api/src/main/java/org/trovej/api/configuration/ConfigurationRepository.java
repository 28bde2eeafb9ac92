package org.trovej.api.configuration;

import org.springframework.data.jpa.repository.JpaRepository;

public interface ConfigurationRepository extends JpaRepository<Configuration, String> {

    boolean existsByDatastoreVersionIdAndDeletedFalse(String datastoreVersionId);
}
