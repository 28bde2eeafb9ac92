package org.trovej.taskmanager.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.testsupport.TestInfrastructure;

/**
 * One isolated control plane for a test class: its own database, task manager and conductor queues and state
 * directory (guest agents of other test contexts in this JVM must not see its instances, nor it theirs), and
 * the rows the API would write before casting to the task manager.
 */
final class LocalCloud {

    final String name;
    final String jdbcUrl;
    final Path stateDir;
    final String taskmanagerQueue;
    final String conductorQueue;

    LocalCloud(String name) {
        this.name = name;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.jdbcUrl = TestInfrastructure.get().createExtraDatabase(name);
        this.taskmanagerQueue = "taskmanager-" + name + "-" + suffix;
        this.conductorQueue = "trove-conductor-" + name + "-" + suffix;
        try {
            // searchable by others, and outside the checkout (whose parents may be private): the databases run
            // as another OS user and must reach their volumes
            this.stateDir = Files.createTempDirectory("trovej-" + name + "-",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the instances' directories (volumes hold whole database clusters); call with every guest off. */
    void deleteState() {
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: what is left goes with the machine's temporary files
        }
    }

    void register(DynamicPropertyRegistry registry) {
        properties().forEach((k, v) -> registry.add(k, () -> v));
    }

    Map<String, String> properties() {
        TestInfrastructure infra = TestInfrastructure.get();
        return Map.of(
                "spring.datasource.url", jdbcUrl,
                "spring.datasource.username", infra.dbUser(),
                "spring.datasource.password", infra.dbPassword(),
                "trovej.rpc.amqp-uri", infra.amqpUri(),
                "trovej.rpc.taskmanager-queue", taskmanagerQueue,
                "trovej.rpc.conductor-queue", conductorQueue,
                "trovej.local.state-dir", stateDir.toString(),
                "trovej.local.report-interval", "2s",
                "trovej.taskmanager.poll-interval", "300ms",
                // tests kill guests on purpose; GuestSupervisionTest turns supervision on
                "trovej.local.guest-supervision", "0s");
    }

    /** The instance row and its service status as the API makes them before casting create_instance. */
    static String insertBuildingInstance(JdbcTemplate jdbc, InstanceKeyStore keys, String versionId, String flavorId,
                                         int volumeSize) {
        String id = UUID.randomUUID().toString();
        InstanceKeyStore.NewKey key = keys.newKey();
        jdbc.update("""
                INSERT INTO instances (id, name, tenant_id, task_id, task_description, server_status, flavor_id,
                                       volume_size, datastore_version_id, encrypted_key, region_id, created, updated,
                                       deleted)
                VALUES (?, ?, 'tenant-1', 5, 'Build instance', 'BUILD', ?, ?, ?, ?, 'RegionOne',
                        timezone('UTC', now()), timezone('UTC', now()), false)
                """, id, "db-" + id.substring(0, 8), flavorId, volumeSize, versionId, key == null ? null : key.sealed());
        jdbc.update("""
                INSERT INTO service_statuses (id, instance_id, status_id, status_description, created, updated_at,
                                              deleted)
                VALUES (?, ?, 23, 'new', timezone('UTC', now()), timezone('UTC', now()), false)
                """, UUID.randomUUID().toString(), id);
        return id;
    }

    static String versionId(JdbcTemplate jdbc, String name) {
        return versionId(jdbc, "postgresql", name);
    }

    static String versionId(JdbcTemplate jdbc, String datastore, String name) {
        return jdbc.queryForObject("SELECT v.id FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id "
                + "WHERE d.name = ? AND v.name = ?", String.class, datastore, name);
    }

    static Map<String, Object> row(JdbcTemplate jdbc, String id) {
        return jdbc.queryForMap("""
                SELECT i.task_id, i.server_status, i.flavor_id, i.volume_size, i.deleted, i.flow_name, i.flow_step,
                       i.addresses->0->>'address' AS address, s.status_description, i.slave_of_id,
                       i.compute_instance_id
                  FROM instances i JOIN service_statuses s ON s.instance_id = i.id WHERE i.id = ?
                """, id);
    }

    static List<Map<String, Object>> faults(JdbcTemplate jdbc, String id) {
        return jdbc.queryForList("SELECT message, details FROM instance_faults WHERE instance_id = ? ORDER BY created",
                id);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /** A live process that is not a zombie waiting for init to reap it. */
    static boolean alive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    static Connection connect(String address, String database, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + address + ":5432/" + database + "?connectTimeout=5",
                user, password);
    }
}
