package org.trovej.taskmanager.create;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.NetworkDriver;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.compute.VolumeDriver;

/**
 * A failed build leaves nothing behind in the cloud: its server, volume and ports are deleted once the failure
 * (with the console's last lines) is known, so that an instance in ERROR holds no quota and no orphan. The
 * instance row stays, in ERROR with its fault, until the user deletes it. Trove keeps the server instead, which
 * is how its stuck builds end up holding resources nobody looks at.
 */
@Component
public class BuildCleanup {

    private static final Logger log = LoggerFactory.getLogger(BuildCleanup.class);

    private final ComputeDriver compute;
    private final VolumeDriver volumes;
    private final NetworkDriver network;

    public BuildCleanup(ComputeDriver compute, VolumeDriver volumes, NetworkDriver network) {
        this.compute = compute;
        this.volumes = volumes;
        this.network = network;
    }

    /**
     * Deletes what the build made; answers what could not be removed (it is removed on delete), as lines for the
     * fault's details, empty when everything went.
     */
    public List<String> release(String instanceId, String serverId, String volumeId) {
        List<String> failures = new ArrayList<>();
        try {
            Optional<Server> server = serverId != null ? compute.findServer(serverId) : compute.findServerOf(instanceId);
            server.ifPresent(s -> compute.deleteServer(s.id()));
        } catch (RuntimeException e) {
            failures.add("Server not deleted: " + e.getMessage());
        }
        try {
            Optional<Volume> volume = volumeId != null ? volumes.findVolume(volumeId) : volumes.findVolumeOf(instanceId);
            volume.ifPresent(v -> volumes.deleteVolume(v.id()));
        } catch (RuntimeException e) {
            failures.add("Volume not deleted: " + e.getMessage());
        }
        try {
            network.release(instanceId);
        } catch (RuntimeException e) {
            failures.add("Ports not released: " + e.getMessage());
        }
        if (failures.isEmpty()) {
            log.info("Instance {}: the failed build's server, volume and ports are deleted", instanceId);
        } else {
            log.warn("Instance {}: the failed build left resources behind: {}", instanceId, failures);
            failures.add(0, "Left behind (removed when the instance is deleted):");
        }
        return failures;
    }
}
