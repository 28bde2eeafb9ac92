package org.trovej.allinone.openstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.testsupport.CloudAdmin;
import org.yaml.snakeyaml.Yaml;

/**
 * Plays the hypervisor that Nova's fake driver does not run: when a Trove server goes ACTIVE, it "boots the
 * guest image" by starting the real TroveJ guest agent as a local process with exactly the files the boot
 * request injected (cloud-init user data, read back from Nova), and "attaches the disk" by putting the server's
 * Cinder volume file (the NFS driver's real file) on a loop device. When the server is deleted, the guest is
 * stopped and the loop device released.
 * <p>
 * The "image" is a small config file of what a real guest image would bake in: where the disk appears
 * ({@code volume_device}), where the database keeps its data, and a 127.77.0.x address of its own so that
 * several guests can all use port 5432 on one host.
 */
final class HypervisorStandIn implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HypervisorStandIn.class);

    private final CloudAdmin nova;
    private final Path root;
    private final Path guestJar;
    private final Path cinderDir;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hypervisor-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Guest> guests = new ConcurrentHashMap<>();
    private final AtomicInteger addresses = new AtomicInteger(1);
    private volatile String lastError;

    /** One booted guest: its server, instance, process, loop device and address. */
    record Guest(String serverId, String instanceId, Process process, String loopDevice, String address,
                 Path dataDir, Path dir) {
    }

    HypervisorStandIn(CloudAdmin nova, Path root, Path guestJar, Path cinderDir) {
        this.nova = nova;
        this.root = root;
        this.guestJar = guestJar;
        this.cinderDir = cinderDir;
    }

    void start() {
        loop.scheduleWithFixedDelay(this::reconcile, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** The guest running for the instance, if its server is up. */
    Optional<Guest> guestOf(String instanceId) {
        return guests.values().stream().filter(g -> g.instanceId().equals(instanceId)).findFirst();
    }

    String lastError() {
        return lastError;
    }

    private void reconcile() {
        try {
            JsonNode servers = nova.servers();
            Set<String> seen = new java.util.HashSet<>();
            for (JsonNode server : servers) {
                String instanceId = server.path("metadata").path("trove_instance_id").asText(null);
                if (instanceId == null) {
                    continue;
                }
                String id = server.path("id").asText();
                seen.add(id);
                if ("ACTIVE".equals(server.path("status").asText()) && !guests.containsKey(id)) {
                    guests.put(id, boot(server, instanceId));
                }
            }
            for (String id : List.copyOf(guests.keySet())) {
                if (!seen.contains(id)) {
                    destroy(guests.remove(id));
                }
            }
        } catch (RuntimeException e) {
            lastError = e.toString();
            log.warn("hypervisor stand-in: {}", e.toString());
        }
    }

    private Guest boot(JsonNode server, String instanceId) {
        String serverId = server.path("id").asText();
        Path dir = root.resolve(serverId);
        try {
            Path confDir = dir.resolve("conf.d");
            Files.createDirectories(confDir);
            for (Map.Entry<String, String> file : injectedFiles(server).entrySet()) {
                Path target = confDir.resolve(Path.of(file.getKey()).getFileName());
                Files.writeString(target, file.getValue());
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            }
            String manager = server.path("metadata").path("trove_datastore").asText("postgresql").split(" ")[0];
            String loopDevice = attachVolume(server);
            String address = "127.77.0." + addresses.getAndIncrement();
            Path dataDir = dir.resolve("data");
            Files.createDirectories(dataDir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path image = dir.resolve("image.conf");
            Files.writeString(image, String.join("\n",
                    "# what the guest image bakes in (TroveJ's OpenStack test harness)",
                    "[DEFAULT]",
                    "volume_device = " + (loopDevice == null ? "none" : loopDevice),
                    "stop_datastore_on_exit = true",
                    "[" + manager + "]",
                    "bind_host = " + address,
                    "data_dir = " + dataDir,
                    // a Unix socket path must stay under 108 bytes
                    manager.equals("postgresql") ? "socket_dir = " + socketDir(address)
                            : "socket = " + socketDir(address) + "/mysqld.sock", ""));
            Process process = new ProcessBuilder(javaCommand(), "-XX:+UseSerialGC", "-Xss512k", "-jar",
                    guestJar.toString(), "--config-file", image.toString(), "--config-dir", confDir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("guest.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            log.info("hypervisor stand-in: server {} (instance {}) booted: guest pid {}, disk {}, address {}",
                    serverId, instanceId, process.pid(), loopDevice, address);
            return new Guest(serverId, instanceId, process, loopDevice, address, dataDir, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot boot the guest of server " + serverId, e);
        }
    }

    /** The files of the server's cloud-config user data ({@code write_files}), path → content. */
    @SuppressWarnings("unchecked")
    static Map<String, String> injectedFiles(JsonNode server) {
        String userData = server.path("OS-EXT-SRV-ATTR:user_data").asText(null);
        if (userData == null) {
            throw new IllegalStateException("server " + server.path("id").asText() + " has no user data");
        }
        String cloudConfig = new String(Base64.getDecoder().decode(userData), StandardCharsets.UTF_8);
        if (!cloudConfig.startsWith("#cloud-config")) {
            throw new IllegalStateException("user data is not a #cloud-config");
        }
        Map<String, Object> parsed = new Yaml().load(cloudConfig);
        List<Map<String, Object>> files = (List<Map<String, Object>>) parsed.get("write_files");
        return files.stream().collect(Collectors.toMap(f -> (String) f.get("path"), f -> {
            String content = String.valueOf(f.get("content"));
            return "b64".equals(f.get("encoding"))
                    ? new String(Base64.getDecoder().decode(content), StandardCharsets.UTF_8) : content;
        }, (a, b) -> b, java.util.LinkedHashMap::new));
    }

    /** The server's first attached Cinder volume, as a loop device over the NFS driver's volume file. */
    private String attachVolume(JsonNode server) throws IOException {
        JsonNode attached = server.path("os-extended-volumes:volumes_attached");
        if (!attached.isArray() || attached.isEmpty()) {
            return null;
        }
        String volumeId = attached.get(0).path("id").asText();
        Path file;
        try (Stream<Path> files = Files.walk(cinderDir)) {
            file = files.filter(p -> p.getFileName().toString().equals("volume-" + volumeId))
                    .filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no file for volume " + volumeId + " under "
                            + cinderDir));
        }
        return run("losetup", "-f", "--show", file.toString()).strip();
    }

    private void destroy(Guest guest) {
        if (guest == null) {
            return;
        }
        guest.process().destroy(); // SIGTERM: the agent stops its database on the way out
        try {
            if (!guest.process().waitFor(60, TimeUnit.SECONDS)) {
                guest.process().destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runQuietly("umount", guest.dataDir().toString());
        if (guest.loopDevice() != null) {
            runQuietly("losetup", "-d", guest.loopDevice());
        }
        org.springframework.util.FileSystemUtils.deleteRecursively(Path.of("/tmp/tvj-hv-" + guest.address()).toFile());
        log.info("hypervisor stand-in: server {} gone, guest stopped", guest.serverId());
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        guests.values().forEach(this::destroy);
        guests.clear();
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (RuntimeException e) {
            log.debug("{}: {}", String.join(" ", command), e.getMessage());
        }
    }

    private static String socketDir(String address) {
        try {
            Path dir = Files.createDirectories(Path.of("/tmp/tvj-hv-" + address));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            return dir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
