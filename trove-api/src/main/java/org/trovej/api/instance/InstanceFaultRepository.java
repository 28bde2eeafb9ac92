package org.trovej.api.instance;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface InstanceFaultRepository extends JpaRepository<InstanceFault, String> {

    Optional<InstanceFault> findFirstByInstanceIdAndDeletedFalseOrderByUpdatedDesc(String instanceId);

    /** The faults of many instances, newest first; the first of each instance is the one shown. */
    List<InstanceFault> findByInstanceIdInAndDeletedFalseOrderByUpdatedDesc(Collection<String> instanceIds);
}
