package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.trovej.common.json.PythonJson;
import org.trovej.taskmanager.compute.ComputeException;
import org.trovej.taskmanager.compute.NetworkDriver;
import org.trovej.taskmanager.compute.ServerAddress;

/**
 * One loopback address per instance, so every database listens on its standard port. Ordinals come from a
 * database sequence (unique across task managers and restarts); an address still held by a live instance
 * (after the ordinals wrapped) or taken on this host by something else is skipped. The address is recorded
 * on the instance at once ({@code instances.addresses}), which also makes allocating twice return it again.
 * An address is free when the port of the instance's engine (its datastore version's manager) is free there.
 */
public class LocalNetworkDriver implements NetworkDriver {

    private static final Logger log = LoggerFactory.getLogger(LocalNetworkDriver.class);
    private static final int ATTEMPTS = 64;
    static final String NETWORK = "local";

    private final JdbcTemplate jdbc;
    private final LocalEngines engines;
    private final int defaultPort;

    public LocalNetworkDriver(JdbcTemplate jdbc, LocalProperties properties, LocalEngines engines) {
        this.jdbc = jdbc;
        this.engines = engines;
        this.defaultPort = properties.databasePort();
    }

    @Override
    public List<ServerAddress> allocate(String instanceId, String datastoreManager, JsonNode nics) {
        List<ServerAddress> existing = recorded(instanceId);
        if (!existing.isEmpty()) {
            return existing;
        }
        int port = portOf(instanceId);
        if (nics != null && nics.isArray() && !nics.isEmpty()) {
            log.info("Instance {}: nics {} ignored, the local back end has one network", instanceId, nics.size());
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long ordinal = jdbc.queryForObject("SELECT nextval('local_address_seq')", Long.class);
            String address = LoopbackAddresses.of(ordinal);
            if (heldByLiveInstance(address)) {
                continue;
            }
            if (!freeOnThisHost(address, port)) {
                log.warn("{}:{} is in use on this host by something else; trying the next address", address, port);
                continue;
            }
            ServerAddress allocated = new ServerAddress(address, "private", NETWORK);
            ArrayNode json = PythonJson.array().add(allocated.toJson());
            jdbc.update("UPDATE instances SET addresses = CAST(? AS jsonb), updated = timezone('UTC', now()) "
                    + "WHERE id = ?", PythonJson.dumps(json), instanceId);
            return List.of(allocated);
        }
        throw new ComputeException("no free loopback address with port " + port + " after " + ATTEMPTS
                + " attempts (does something listen on 0.0.0.0:" + port + "?)");
    }

    @Override
    public void release(String instanceId) {
        // The address returns to the pool when its instance is deleted: heldByLiveInstance stops seeing it.
    }

    private List<ServerAddress> recorded(String instanceId) {
        List<String> json = jdbc.query("SELECT addresses::text FROM instances WHERE id = ?",
                (rs, n) -> rs.getString(1), instanceId);
        if (json.isEmpty() || json.get(0) == null) {
            return List.of();
        }
        try {
            JsonNode list = PythonJson.parse(json.get(0));
            return java.util.stream.StreamSupport.stream(list.spliterator(), false)
                    .filter(a -> NETWORK.equals(a.path("network").asText()))
                    .map(a -> new ServerAddress(a.path("address").asText(), a.path("type").asText(),
                            a.path("network").asText()))
                    .toList();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of();
        }
    }

    private boolean heldByLiveInstance(String address) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM instances WHERE deleted = false "
                + "AND addresses @> CAST(? AS jsonb)", Integer.class,
                PythonJson.dumps(PythonJson.array().add(PythonJson.object().put("address", address))));
        return count != null && count > 0;
    }

    /** The port the instance's database will listen on: its engine's, by the datastore version's manager. */
    private int portOf(String instanceId) {
        List<String> managers = jdbc.query("SELECT v.manager FROM instances i JOIN datastore_versions v "
                + "ON v.id = i.datastore_version_id WHERE i.id = ?", (rs, n) -> rs.getString(1), instanceId);
        return managers.isEmpty() ? defaultPort
                : engines.forManager(managers.get(0)).map(LocalEngine::port).orElse(defaultPort);
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
