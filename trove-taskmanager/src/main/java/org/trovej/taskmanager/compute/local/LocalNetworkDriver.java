package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.json.PythonJson;
import org.trovej.taskmanager.compute.ComputeException;
import org.trovej.taskmanager.compute.NetworkDriver;
import org.trovej.taskmanager.compute.ServerAddress;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * One loopback address per instance, so every database listens on its standard port. Ordinals come from a
 * database sequence (unique across task managers and restarts); an address is claimed in the back end's own
 * table ({@link LocalAddresses}), so one held by a live instance (after the ordinals wrapped) is skipped, and
 * allocating twice returns the same address. An address taken on this host by something else (its engine's port,
 * by the datastore manager, is not free there) is given back and skipped. The address is recorded on the instance
 * at once ({@code instances.addresses}), for the API to show, and returns to the pool when the instance is deleted.
 */
public class LocalNetworkDriver implements NetworkDriver {

    private static final Logger log = LoggerFactory.getLogger(LocalNetworkDriver.class);
    private static final int ATTEMPTS = 64;
    static final String NETWORK = "local";

    private final LocalAddresses addresses;
    private final InstanceRecords instances;
    private final LocalEngines engines;
    private final int defaultPort;

    public LocalNetworkDriver(LocalAddresses addresses, InstanceRecords instances, LocalProperties properties,
                              LocalEngines engines) {
        this.addresses = addresses;
        this.instances = instances;
        this.engines = engines;
        this.defaultPort = properties.databasePort();
    }

    @Override
    public List<ServerAddress> allocate(String instanceId, String datastoreManager, JsonNode nics) {
        Optional<String> held = addresses.heldBy(instanceId);
        if (held.isPresent()) {
            return recorded(instanceId, held.get());
        }
        int port = engines.forManager(datastoreManager).map(LocalEngine::port).orElse(defaultPort);
        if (nics != null && nics.isArray() && !nics.isEmpty()) {
            log.info("Instance {}: nics {} ignored, the local back end has one network", instanceId, nics.size());
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String address = LoopbackAddresses.of(addresses.nextOrdinal());
            if (!addresses.claim(address, instanceId)) {
                held = addresses.heldBy(instanceId);
                if (held.isPresent()) {
                    return recorded(instanceId, held.get()); // allocated meanwhile for the same instance
                }
                continue; // held by a live instance: the ordinals wrapped
            }
            if (!freeOnThisHost(address, port)) {
                addresses.release(instanceId);
                log.warn("{}:{} is in use on this host by something else; trying the next address", address, port);
                continue;
            }
            return recorded(instanceId, address);
        }
        throw new ComputeException("no free loopback address with port " + port + " after " + ATTEMPTS
                + " attempts (does something listen on 0.0.0.0:" + port + "?)");
    }

    @Override
    public void release(String instanceId) {
        addresses.release(instanceId);
    }

    /** The instance's address as the API shows it ({@code instances.addresses}). */
    private List<ServerAddress> recorded(String instanceId, String address) {
        ServerAddress allocated = new ServerAddress(address, "private", NETWORK);
        instances.setAddresses(instanceId, PythonJson.dumps(PythonJson.array().add(allocated.toJson())));
        return List.of(allocated);
    }

    private static boolean freeOnThisHost(String address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
