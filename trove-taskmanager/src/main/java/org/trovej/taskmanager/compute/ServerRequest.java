package org.trovej.taskmanager.compute;

import java.util.List;

import org.trovej.common.flavor.Flavor;

/**
 * A server to create for an instance.
 *
 * @param instanceId the Trove instance; back ends use it to make creation idempotent (a retried create finds
 *                   the server made before)
 * @param ports      the network ports/addresses allocated for the server by the {@link NetworkDriver}
 */
public record ServerRequest(String instanceId, String name, Flavor flavor, Image image, Volume volume,
                            List<ServerAddress> ports, String availabilityZone, GuestBootstrap guest) {

    public ServerRequest {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
