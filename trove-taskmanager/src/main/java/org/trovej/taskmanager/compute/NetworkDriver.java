package org.trovej.taskmanager.compute;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Addresses for servers (Neutron ports, or the local back end's loopback addresses), allocated before the
 * server so that a retried build keeps its address.
 */
public interface NetworkDriver {

    /**
     * Allocates the instance's addresses, or returns those already allocated to it.
     *
     * @param datastoreManager decides which ports the instance's security group opens
     * @param nics             the create request's {@code nics} (Trove's {@code [{"network_id", ...}]}); may be null
     */
    List<ServerAddress> allocate(String instanceId, String datastoreManager, JsonNode nics);

    /** Releases what {@link #allocate} took; releasing twice is not an error. */
    void release(String instanceId);
}
