package org.trovej.api.instance;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface InstanceServiceStatusRepository extends JpaRepository<InstanceServiceStatus, String> {

    Optional<InstanceServiceStatus> findByInstanceId(String instanceId);

    List<InstanceServiceStatus> findByInstanceIdIn(Collection<String> instanceIds);
}
