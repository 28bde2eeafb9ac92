package org.trovej.api.configuration;

import java.util.List;

import org.trovej.api.auth.AuthContext;

/**
 * What configuration groups need to know about and do to instances, answered by the instance feature (which builds
 * on this package, so this package asks through an interface instead of importing it).
 */
public interface ConfigurationInstances {

    /** An instance a group is attached to. */
    record Attached(String id, String name) {
    }

    /** How many live instances have the group attached (of {@code tenantId} only, unless it is null). */
    long countAttached(String configurationId, String tenantId);

    /** A page of them, ids ascending after the marker. */
    List<Attached> attached(String configurationId, String tenantId, String marker, int limit);

    /**
     * Gives every instance the group is attached to its changed values, as Trove's update_configuration: persisted
     * on each guest, then applied at once when no value needs a restart, else the instance shows RESTART_REQUIRED.
     * When a guest refuses them, the instances already changed get {@code previous} back and the refusal is thrown.
     */
    void refresh(AuthContext caller, GroupValues changed, GroupValues previous, String requestId);
}
