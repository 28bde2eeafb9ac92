package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.json.PythonJson;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.ComputeException;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.ServerAddress;
import org.trovej.taskmanager.compute.ServerRequest;
import org.trovej.taskmanager.compute.ServerStatus;

/**
 * A "server" is the instance's guest agent process on this host, configured as Trove configures a guest VM;
 * the image is ignored (the host's binaries of the datastore manager's engine, {@link LocalEngines}, for the
 * datastore version are used). The server id is the instance id. Alive ⇒ ACTIVE, stopped ⇒ SHUTDOWN, no server
 * record ⇒ no server.
 * <p>
 * The server record keeps the power the server should have ({@code power}: on from create and power-on, off from
 * power-off and delete), which {@link GuestSupervisor} goes by: a guest that died while its power is on is started
 * again, one powered off never is. Power changes and restarts of one server take its lock, so a restart cannot
 * slip between a power-off's record and its stop.
 */
public class LocalComputeDriver implements ComputeDriver {

    private static final Logger log = LoggerFactory.getLogger(LocalComputeDriver.class);
    private final LocalLayout layout;
    private final LocalProperties properties;
    private final LocalEngines engines;
    private final GuestProcesses guests;
    private final GuestConfigFiles configFiles;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public LocalComputeDriver(LocalLayout layout, LocalProperties properties, LocalEngines engines,
                              GuestProcesses guests) {
        this.layout = layout;
        this.properties = properties;
        this.engines = engines;
        this.guests = guests;
        this.configFiles = new GuestConfigFiles(layout, properties);
    }

    @Override
    public Server createServer(ServerRequest request) {
        String id = request.instanceId();
        String manager = request.guest().datastoreManager();
        LocalEngine engine = engines.forManager(manager).orElseThrow(() -> new ComputeException(
                "the local back end runs the datastore managers " + String.join(", ", engines.managers())
                        + "; datastore manager '" + manager + "' is not available on this host"));
        EngineInstallation installation = engine.forVersion(request.guest().version(),
                request.guest().datastoreVersion()).orElseThrow(() -> new ComputeException("no "
                + engine.displayName() + " " + request.guest().datastoreVersion() + " binaries on this host (found: "
                + describeInstallations(engine) + ")"));
        if (request.ports().isEmpty()) {
            throw new ComputeException("no address allocated for instance " + id);
        }
        String address = request.ports().get(0).address();
        try {
            Files.createDirectories(layout.instanceDir(id));
            String databaseUser = HostUsers.isRoot() ? engine.runAs() : null;
            Path socketDir = layout.socketDir(id);
            Files.createDirectories(socketDir);
            Path volume = layout.volumeDir(id);
            if (databaseUser != null) {
                HostUsers.chown(socketDir, databaseUser);
                // the volume was made before the server: it belongs to this engine's user
                if (Files.isDirectory(volume)) {
                    HostUsers.requireReachable(volume, databaseUser);
                    HostUsers.chown(volume, databaseUser);
                }
            }
            engine.prepareHost(layout, databaseUser);
            configFiles.write(request.guest(), manager.toLowerCase(Locale.ROOT),
                    engine.guestSection(layout, id, address, installation, databaseUser));
            JsonRecords.write(layout.serverRecord(id), record(request));
        } catch (IOException | UncheckedIOException e) {
            throw new ComputeException("cannot set up server " + id + ": " + e.getMessage(), e);
        }
        withLock(id, () -> guests.start(id));
        log.info("Server {} ({}) on {}: {} {} from {}", id, request.name(), address, engine.displayName(),
                installation.version(), installation.location());
        return findServer(id).orElseThrow(() -> new ComputeException("server " + id + " vanished while created"));
    }

    @Override
    public Optional<Server> findServer(String serverId) {
        Optional<ObjectNode> record = JsonRecords.read(layout.serverRecord(serverId));
        if (record.isEmpty()) {
            return Optional.empty();
        }
        boolean alive = guests.running(serverId).isPresent();
        String fault = null;
        if (!alive) {
            String reason = guests.exitReason(serverId);
            fault = reason == null ? "the guest agent is not running" : reason;
        }
        return Optional.of(new Server(serverId, alive ? ServerStatus.ACTIVE : ServerStatus.SHUTDOWN, fault,
                addresses(record.get().path("addresses"))));
    }

    @Override
    public Optional<Server> findServerOf(String instanceId) {
        return findServer(instanceId); // the server id is the instance id
    }

    @Override
    public void deleteServer(String serverId) {
        withLock(serverId, () -> {
            setPower(serverId, false);
            guests.stop(serverId);
        });
        try {
            LocalFiles.deleteTree(layout.etcDir(serverId));
            LocalFiles.deleteTree(layout.socketDir(serverId));
            Files.deleteIfExists(layout.guestLog(serverId));
            Files.deleteIfExists(layout.serverRecord(serverId));
            LocalFiles.removeIfEmpty(layout.instanceDir(serverId));
            locks.remove(serverId);
        } catch (IOException | UncheckedIOException e) {
            throw new ComputeException("cannot delete server " + serverId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void rebootServer(String serverId) {
        powerOff(serverId);
        powerOn(serverId);
    }

    /**
     * The local back end boots one image: the guest agent build it runs ({@link LocalImage}). Any other id is
     * refused, as Nova refuses an image Glance does not have.
     */
    @Override
    public String requireImage(String imageId) {
        if (!LocalImage.ID.equals(imageId)) {
            throw new ComputeException("image " + imageId + " does not exist: the local back end boots one image, "
                    + LocalImage.ID + " (" + LocalImage.NAME + ", the guest agent build it runs)");
        }
        return imageId;
    }

    /**
     * Off, then on from the image: the guest agent starts from the newest guest build ({@link GuestAgentJar}) with
     * its configuration, on the same volume and address; a prepared volume makes it start the database with its data
     * and configuration layers, as a rebuilt Trove VM's guest does.
     */
    @Override
    public void rebuildServer(String serverId, String imageId) {
        requireImage(imageId);
        withLock(serverId, () -> {
            Optional<ObjectNode> record = JsonRecords.read(layout.serverRecord(serverId));
            if (record.isEmpty()) {
                throw new ComputeException("server " + serverId + " does not exist");
            }
            setPower(serverId, false);
            guests.stop(serverId);
            ObjectNode rebuilt = JsonRecords.read(layout.serverRecord(serverId)).orElseThrow();
            rebuilt.put("image_id", imageId);
            rebuilt.put("power", "on");
            JsonRecords.write(layout.serverRecord(serverId), rebuilt);
            guests.start(serverId);
        });
        log.info("Server {} rebuilt from image {}", serverId, imageId);
    }

    /**
     * The guest's section for the installation of that version on this host (its programs, socket, data directory,
     * as a new server of that version gets), for the guest to convert its data with.
     */
    @Override
    public Map<String, String> datastoreSettingsFor(String serverId, String manager, String versionName,
                                                    String versionNumber) {
        LocalEngine engine = engines.forManager(manager).orElseThrow(() -> new ComputeException(
                "datastore manager '" + manager + "' is not available on this host"));
        EngineInstallation installation = engine.forVersion(versionNumber, versionName).orElseThrow(() ->
                new ComputeException("no " + engine.displayName() + " " + versionName + " binaries on this host "
                        + "(found: " + describeInstallations(engine) + ")"));
        ObjectNode record = JsonRecords.read(layout.serverRecord(serverId)).orElseThrow(() ->
                new ComputeException("server " + serverId + " does not exist"));
        List<ServerAddress> addresses = addresses(record.path("addresses"));
        if (addresses.isEmpty()) {
            throw new ComputeException("server " + serverId + " has no address");
        }
        String databaseUser = HostUsers.isRoot() ? engine.runAs() : null;
        return engine.guestSection(layout, serverId, addresses.get(0).address(), installation, databaseUser);
    }

    /** The guest's configuration names the version and its programs; the agent is restarted to read it. */
    @Override
    public void switchDatastoreVersion(String serverId, String manager, String versionName,
                                       Map<String, String> settings) {
        withLock(serverId, () -> {
            if (JsonRecords.read(layout.serverRecord(serverId)).isEmpty()) {
                throw new ComputeException("server " + serverId + " does not exist");
            }
            if (!settings.isEmpty()) {
                configFiles.switchVersion(serverId, versionName, manager.toLowerCase(Locale.ROOT), settings);
            }
            guests.stop(serverId);
            guests.start(serverId);
        });
        log.info("Server {} runs datastore version {}", serverId, versionName);
    }

    @Override
    public void powerOff(String serverId) {
        withLock(serverId, () -> {
            setPower(serverId, false);
            guests.stop(serverId);
        });
    }

    @Override
    public void powerOn(String serverId) {
        withLock(serverId, () -> {
            if (!setPower(serverId, true)) {
                throw new ComputeException("server " + serverId + " does not exist");
            }
            guests.start(serverId);
        });
    }

    /**
     * Starts the server's guest again if its power is on and it is not running, unless a power change of it is
     * under way (then that decides).
     *
     * @return whether it was started
     */
    boolean restartIfDown(String serverId) {
        ReentrantLock lock = locks.computeIfAbsent(serverId, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            return false;
        }
        try {
            Optional<ObjectNode> record = JsonRecords.read(layout.serverRecord(serverId));
            if (record.isEmpty() || !poweredOn(record.get()) || guests.running(serverId).isPresent()) {
                return false;
            }
            guests.start(serverId);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the record says power on (records from before power was kept: on). */
    private static boolean poweredOn(ObjectNode record) {
        return !"off".equals(record.path("power").asText("on"));
    }

    /** Records the power the server should have; false when there is no such server. */
    private boolean setPower(String serverId, boolean on) {
        Optional<ObjectNode> record = JsonRecords.read(layout.serverRecord(serverId));
        if (record.isEmpty()) {
            return false;
        }
        record.get().put("power", on ? "on" : "off");
        JsonRecords.write(layout.serverRecord(serverId), record.get());
        return true;
    }

    private void withLock(String serverId, Runnable action) {
        ReentrantLock lock = locks.computeIfAbsent(serverId, k -> new ReentrantLock());
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** The volume is a directory the guest process always sees: there is nothing to detach. */
    @Override
    public void detachVolume(String serverId, String volumeId) {
    }

    @Override
    public void attachVolume(String serverId, String volumeId) {
    }

    @Override
    public void resizeServer(String serverId, Flavor flavor) {
        // A process has no fixed size: the new flavor only reaches the database through the guest
        // (start_db_with_conf_changes with its memory); the record keeps which flavor the server has.
        withLock(serverId, () -> {
            ObjectNode record = JsonRecords.read(layout.serverRecord(serverId))
                    .orElseThrow(() -> new ComputeException("server " + serverId + " does not exist"));
            record.put("flavor_id", flavor.id());
            JsonRecords.write(layout.serverRecord(serverId), record);
        });
    }

    @Override
    public List<String> consoleLog(String serverId, int lines) {
        return guests.logTail(serverId, lines);
    }

    /** The servers this host has (instance directories with a server record). */
    public List<String> serverIds() {
        if (!Files.isDirectory(layout.instancesDir())) {
            return List.of();
        }
        try (var dirs = Files.list(layout.instancesDir())) {
            return dirs.map(d -> d.getFileName().toString())
                    .filter(id -> Files.isRegularFile(layout.serverRecord(id)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + layout.instancesDir(), e);
        }
    }

    public boolean isRunning(String serverId) {
        return guests.running(serverId).isPresent();
    }

    private static String describeInstallations(LocalEngine engine) {
        List<String> found = new ArrayList<>();
        engine.installations().forEach(i -> found.add(i.version() + " in " + i.location()));
        return found.isEmpty() ? "none" : String.join(", ", found);
    }

    private static ObjectNode record(ServerRequest request) {
        ObjectNode record = PythonJson.object();
        record.put("id", request.instanceId());
        record.put("name", request.name());
        record.put("flavor_id", request.flavor().id());
        record.put("power", "on");
        record.put("image_id", LocalImage.ID);
        ArrayNode addresses = record.putArray("addresses");
        request.ports().forEach(p -> addresses.add(p.toJson()));
        return record;
    }

    private static List<ServerAddress> addresses(JsonNode list) {
        List<ServerAddress> result = new ArrayList<>();
        list.forEach(a -> result.add(new ServerAddress(a.path("address").asText(), a.path("type").asText(),
                a.path("network").asText())));
        return result;
    }
}
