package org.trovej.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.trovej.testsupport.TestInfrastructure;

/**
 * Runs the Flyway migrations on the empty per-run PostgreSQL database and checks that the
 * schema they build is the Trove model and that its keys really hold.
 * Each data test works in its own transaction, rolled back afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationTest {

    private static final String FK_VIOLATION = "23503";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String NOT_NULL_VIOLATION = "23502";

    private static final Set<String> TROVE_TABLES = Set.of(
            "datastores", "datastore_versions", "datastore_version_metadata",
            "capabilities", "capability_overrides", "datastore_configuration_parameters",
            "configurations", "configuration_parameters",
            "clusters", "instances", "service_statuses", "conductor_lastseen", "instance_faults",
            "root_enabled_history", "agent_heartbeats", "dns_records",
            "backups", "backup_strategy",
            "quotas", "quota_usages", "reservations",
            "modules", "instance_modules",
            "security_groups", "security_group_rules", "security_group_instance_associations",
            "service_images", "usage_events");
    /** TroveJ's own: the local back end's addresses (V3), backup schedules (V7). */
    private static final Set<String> TROVEJ_TABLES = Set.of("local_addresses", "backup_schedules", "log_shipments");

    private String url;
    private String user;
    private String password;
    private Flyway flyway;
    private MigrateResult firstMigration;
    private Set<String> tablesBeforeMigration;
    private Connection conn;

    @BeforeAll
    void migrateEmptyDatabase() throws SQLException {
        TestInfrastructure infra = TestInfrastructure.get();
        url = infra.jdbcUrl();
        user = infra.dbUser();
        password = infra.dbPassword();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            tablesBeforeMigration = tables(c);
        }
        flyway = Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .load();
        firstMigration = flyway.migrate();
    }

    @BeforeEach
    void openTransaction() throws SQLException {
        conn = DriverManager.getConnection(url, user, password);
        conn.setAutoCommit(false);
    }

    @AfterEach
    void rollBack() throws SQLException {
        if (conn != null) {
            conn.rollback();
            conn.close();
        }
    }

    @AfterAll
    void noLeftovers() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM instances")) {
            rs.next();
            assertThat(rs.getInt(1)).as("test rows are rolled back").isZero();
        }
    }

    // -----------------------------------------------------------------------------------------
    // Flyway
    // -----------------------------------------------------------------------------------------

    @Test
    void migratesFromAnEmptyDatabaseToTheLatestVersion() {
        assertThat(tablesBeforeMigration).as("database handed over by TestInfrastructure").isEmpty();
        assertThat(firstMigration.success).isTrue();
        assertThat(firstMigration.initialSchemaVersion).isNull();
        assertThat(firstMigration.migrationsExecuted).isEqualTo(8);
        assertThat(firstMigration.targetSchemaVersion).isEqualTo("8");

        MigrationInfo[] applied = flyway.info().applied();
        assertThat(applied).hasSize(8);
        assertThat(applied[0].getVersion().getVersion()).isEqualTo("1");
        assertThat(applied[0].getScript()).isEqualTo("V1__trove_model.sql");
        assertThat(applied[1].getVersion().getVersion()).isEqualTo("2");
        assertThat(applied[1].getScript()).isEqualTo("V2__instance_flows.sql");
        assertThat(applied[2].getVersion().getVersion()).isEqualTo("3");
        assertThat(applied[2].getScript()).isEqualTo("V3__local_addresses.sql");
        assertThat(applied[3].getVersion().getVersion()).isEqualTo("4");
        assertThat(applied[3].getScript()).isEqualTo("V4__backups.sql");
        assertThat(applied[4].getVersion().getVersion()).isEqualTo("5");
        assertThat(applied[4].getScript()).isEqualTo("V5__parameter_catalogue.sql");
        assertThat(applied[5].getVersion().getVersion()).isEqualTo("6");
        assertThat(applied[5].getScript()).isEqualTo("V6__volume_used.sql");
        assertThat(applied[6].getVersion().getVersion()).isEqualTo("7");
        assertThat(applied[6].getScript()).isEqualTo("V7__backup_schedules.sql");
        assertThat(applied[7].getVersion().getVersion()).isEqualTo("8");
        assertThat(applied[7].getScript()).isEqualTo("V8__point_in_time.sql");
        assertThat(applied).allMatch(m -> m.getState() == MigrationState.SUCCESS);
        assertThat(flyway.info().pending()).isEmpty();
    }

    @Test
    void migratingAgainIsANoOp() throws SQLException {
        Set<String> before = tables(conn);
        MigrateResult again = flyway.migrate();
        assertThat(again.success).isTrue();
        assertThat(again.migrationsExecuted).isZero();
        assertThat(again.initialSchemaVersion).isEqualTo("8");
        assertThat(flyway.info().applied()).hasSize(8);
        assertThat(tables(conn)).isEqualTo(before);
    }

    @Test
    void validatePasses() {
        ValidateResult result = flyway.validateWithResult();
        assertThat(result.validationSuccessful).as(String.valueOf(result.invalidMigrations)).isTrue();
        assertThatCode(flyway::validate).doesNotThrowAnyException();
    }

    // -----------------------------------------------------------------------------------------
    // Shape
    // -----------------------------------------------------------------------------------------

    @Test
    void everyTroveTableExistsAndNothingElse() throws SQLException {
        Set<String> expected = new TreeSet<>(TROVE_TABLES);
        expected.addAll(TROVEJ_TABLES);
        expected.add("flyway_schema_history");
        assertThat(tables(conn)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void keyColumnsHaveTheIntendedTypes() throws SQLException {
        Map<String, String> expected = new HashMap<>();
        expected.put("instances.id", "character varying");
        expected.put("instances.flavor_id", "character varying");
        expected.put("instances.task_id", "integer");
        expected.put("instances.encrypted_key", "text");
        expected.put("instances.access", "jsonb");
        expected.put("instances.addresses", "jsonb");
        expected.put("instances.deleted", "boolean");
        expected.put("instances.created", "timestamp without time zone");
        expected.put("instances.deleted_at", "timestamp without time zone");
        expected.put("service_statuses.sent", "double precision");
        expected.put("service_statuses.volume_used", "double precision");
        expected.put("service_statuses.updated_at", "timestamp without time zone");
        expected.put("service_statuses.status_id", "integer");
        expected.put("conductor_lastseen.sent", "double precision");
        expected.put("backups.size", "double precision");
        expected.put("instance_faults.details", "text");
        expected.put("modules.contents", "text");
        expected.put("datastore_versions.active", "boolean");
        expected.put("root_enabled_history.user_id", "character varying");
        expected.put("datastore_configuration_parameters.allowed_values", "text");
        expected.put("datastore_configuration_parameters.default_value", "text");

        Map<String, String> actual = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
                        + "WHERE table_schema = current_schema()");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                actual.put(rs.getString(1), rs.getString(2));
            }
        }
        assertThat(actual).containsAllEntriesOf(expected);
        assertThat(actual).containsKeys(
                "instances.name", "instances.tenant_id", "instances.hostname", "instances.compute_instance_id",
                "instances.task_description", "instances.task_start_time", "instances.volume_id",
                "instances.volume_size", "instances.volume_type", "instances.datastore_version_id",
                "instances.configuration_id", "instances.slave_of_id", "instances.cluster_id",
                "instances.shard_id", "instances.type", "instances.region_id", "instances.availability_zone",
                "instances.updated",
                "service_statuses.created", "service_statuses.deleted", "service_statuses.status_description",
                "backups.parent_id", "backups.datastore_version_id", "backups.backup_timestamp",
                "backups.checksum", "backups.location", "backups.storage_driver",
                "datastore_versions.image_tags", "datastore_versions.version", "datastore_versions.manager",
                "datastore_version_metadata.key", "datastore_version_metadata.value",
                "modules.priority_apply", "modules.apply_order", "modules.is_admin", "modules.md5",
                "datastore_configuration_parameters.deleted_at",
                "datastore_configuration_parameters.allowed_values",
                "datastore_configuration_parameters.default_value");
    }

    @Test
    void accessPathsAreIndexed() throws SQLException {
        assertIndexLeadingWith("instances", "tenant_id", "deleted");
        assertIndexLeadingWith("instances", "id");
        assertIndexLeadingWith("instances", "slave_of_id");
        assertIndexLeadingWith("backups", "instance_id");
        assertIndexLeadingWith("backups", "tenant_id");
        assertIndexLeadingWith("service_statuses", "instance_id");
        assertIndexLeadingWith("conductor_lastseen", "instance_id", "method_name");
        assertIndexLeadingWith("quotas", "tenant_id", "resource");
    }

    // -----------------------------------------------------------------------------------------
    // Keys and constraints, for real
    // -----------------------------------------------------------------------------------------

    @Test
    void serviceStatusForAMissingInstanceIsRejected() throws SQLException {
        assertFails(FK_VIOLATION, "INSERT INTO service_statuses (id, instance_id, status_id, status_description) "
                + "VALUES ('ss-1', 'no-such-instance', 23, 'new')");
    }

    @Test
    void oneServiceStatusPerInstanceAndItGoesWithAPurgedInstance() throws SQLException {
        insertInstance("inst-1", "tenant-a");
        exec("INSERT INTO service_statuses (id, instance_id, status_id, status_description, updated_at) "
                + "VALUES ('ss-1', 'inst-1', 23, 'new', timezone('utc', now()))");
        assertFails(UNIQUE_VIOLATION, "INSERT INTO service_statuses (id, instance_id, status_id, status_description) "
                + "VALUES ('ss-2', 'inst-1', 9, 'building')");

        exec("DELETE FROM instances WHERE id = 'inst-1'");
        assertThat(count("SELECT count(*) FROM service_statuses WHERE instance_id = 'inst-1'")).isZero();
    }

    @Test
    void duplicateDatastoreNameIsRejected() throws SQLException {
        exec("INSERT INTO datastores (id, name) VALUES ('ds-1', 'mysql')");
        assertFails(UNIQUE_VIOLATION, "INSERT INTO datastores (id, name) VALUES ('ds-2', 'mysql')");
    }

    @Test
    void datastoreVersionsAreUniquePerDatastoreNameAndVersion() throws SQLException {
        exec("INSERT INTO datastores (id, name) VALUES ('ds-1', 'mysql')");
        exec("INSERT INTO datastore_versions (id, datastore_id, name, version, manager, active) "
                + "VALUES ('v-1', 'ds-1', '8.0', '8.0.36', 'mysql', true)");
        exec("INSERT INTO datastore_versions (id, datastore_id, name, version, manager, active) "
                + "VALUES ('v-2', 'ds-1', '8.0', '8.0.40', 'mysql', true)");
        assertFails(UNIQUE_VIOLATION, "INSERT INTO datastore_versions (id, datastore_id, name, version, active) "
                + "VALUES ('v-3', 'ds-1', '8.0', '8.0.36', true)");
        assertFails(NOT_NULL_VIOLATION, "INSERT INTO datastore_versions (id, datastore_id, name, active) "
                + "VALUES ('v-4', 'ds-1', '8.4', true)");
        assertFails(FK_VIOLATION, "INSERT INTO datastore_versions (id, datastore_id, name, version, active) "
                + "VALUES ('v-5', 'no-such-datastore', '8.0', '8.0.36', true)");
    }

    @Test
    void deletingTheDefaultVersionClearsItAndItsBindings() throws SQLException {
        exec("INSERT INTO datastores (id, name) VALUES ('ds-1', 'mysql')");
        exec("INSERT INTO datastore_versions (id, datastore_id, name, version, active) "
                + "VALUES ('v-1', 'ds-1', '8.0', '8.0', true)");
        exec("UPDATE datastores SET default_version_id = 'v-1' WHERE id = 'ds-1'");
        assertFails(FK_VIOLATION, "UPDATE datastores SET default_version_id = 'nope' WHERE id = 'ds-1'");
        exec("INSERT INTO datastore_version_metadata (id, datastore_version_id, key, value, created) "
                + "VALUES ('m-1', 'v-1', 'flavor', '42', timezone('utc', now()))");
        assertFails(UNIQUE_VIOLATION, "INSERT INTO datastore_version_metadata "
                + "(id, datastore_version_id, key, value, created) "
                + "VALUES ('m-2', 'v-1', 'flavor', '42', timezone('utc', now()))");

        exec("DELETE FROM datastore_versions WHERE id = 'v-1'");
        assertThat(count("SELECT count(*) FROM datastores WHERE id = 'ds-1' AND default_version_id IS NULL"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM datastore_version_metadata")).isZero();
    }

    @Test
    void softDeletedInstancesAreKeptAndFilteredByTheDeletedFlag() throws SQLException {
        insertInstance("inst-1", "tenant-a");
        insertInstance("inst-2", "tenant-a");
        exec("INSERT INTO service_statuses (id, instance_id, status_id, status_description) "
                + "VALUES ('ss-1', 'inst-1', 33, 'healthy')");
        assertThat(count("SELECT count(*) FROM instances WHERE deleted = false")).as("deleted defaults to false")
                .isEqualTo(2);

        exec("UPDATE instances SET deleted = true, deleted_at = timezone('utc', now()) WHERE id = 'inst-1'");

        assertThat(count("SELECT count(*) FROM instances WHERE tenant_id = 'tenant-a' AND deleted = false"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM instances WHERE id = 'inst-1' AND deleted AND deleted_at IS NOT NULL"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM service_statuses WHERE instance_id = 'inst-1'")).isEqualTo(1);
        assertFails(NOT_NULL_VIOLATION, "UPDATE instances SET deleted = NULL WHERE id = 'inst-2'");
    }

    @Test
    void instanceJsonColumnsAndReplicaLinkWork() throws SQLException {
        exec("INSERT INTO instances (id, name, tenant_id, access, addresses) VALUES ('inst-1', 'p', 't', "
                + "'{\"is_public\": true, \"allowed_cidrs\": [\"10.0.0.0/8\"]}', "
                + "'[{\"type\": \"private\", \"address\": \"10.0.0.5\", \"network\": \"n-1\"}]')");
        exec("INSERT INTO instances (id, name, tenant_id, slave_of_id) VALUES ('inst-2', 'r', 't', 'inst-1')");
        assertThat(count("SELECT count(*) FROM instances WHERE (access->>'is_public')::boolean "
                + "AND addresses->0->>'address' = '10.0.0.5'")).isEqualTo(1);
        assertFails(FK_VIOLATION,
                "INSERT INTO instances (id, name, tenant_id, slave_of_id) VALUES ('inst-3', 'r', 't', 'nope')");
        assertFails("22P02", "UPDATE instances SET access = 'not json' WHERE id = 'inst-1'");
    }

    @Test
    void conductorLastSeenIsPerInstanceAndMethodAndKeepsMicroseconds() throws SQLException {
        insertInstance("inst-1", "tenant-a");
        double sent = 1764000000.123456;
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO conductor_lastseen (instance_id, method_name, sent) VALUES ('inst-1', ?, ?)")) {
            ps.setString(1, "heartbeat");
            ps.setDouble(2, sent);
            ps.executeUpdate();
            ps.setString(1, "update_backup");
            ps.setDouble(2, sent + 0.000001);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT sent FROM conductor_lastseen WHERE instance_id = 'inst-1' AND method_name = 'heartbeat'");
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getDouble(1)).isEqualTo(sent);
        }
        assertThat(count("SELECT count(*) FROM conductor_lastseen WHERE sent > 1764000000.123456")).isEqualTo(1);
        assertFails(UNIQUE_VIOLATION, "INSERT INTO conductor_lastseen (instance_id, method_name, sent) "
                + "VALUES ('inst-1', 'heartbeat', 1764000001)");
        assertFails(FK_VIOLATION, "INSERT INTO conductor_lastseen (instance_id, method_name, sent) "
                + "VALUES ('no-such-instance', 'heartbeat', 1)");
    }

    @Test
    void backupsChainToParentsAndOutliveTheirInstance() throws SQLException {
        insertInstance("inst-1", "tenant-a");
        exec("INSERT INTO backups (id, name, state, tenant_id, instance_id, size) "
                + "VALUES ('b-1', 'full', 'COMPLETED', 'tenant-a', 'inst-1', 0.125)");
        exec("INSERT INTO backups (id, name, state, tenant_id, instance_id, parent_id) "
                + "VALUES ('b-2', 'incr', 'NEW', 'tenant-a', 'inst-1', 'b-1')");
        assertFails(FK_VIOLATION, "INSERT INTO backups (id, name, state, parent_id) "
                + "VALUES ('b-3', 'x', 'NEW', 'no-such-backup')");
        assertFails(NOT_NULL_VIOLATION, "INSERT INTO backups (id, name) VALUES ('b-4', 'no state')");
        assertFails(FK_VIOLATION, "DELETE FROM backups WHERE id = 'b-1'");

        exec("DELETE FROM instances WHERE id = 'inst-1'");
        assertThat(count("SELECT count(*) FROM backups WHERE instance_id IS NULL")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM backups WHERE size = 0.125")).isEqualTo(1);
    }

    @Test
    void backupsKeepWhyTheyFailed() throws SQLException {
        exec("INSERT INTO backups (id, name, state) VALUES ('b-1', 'running', 'BUILDING')");
        assertThat(count("SELECT count(*) FROM backups WHERE id = 'b-1' AND failure_reason IS NULL")).isEqualTo(1);
        exec("UPDATE backups SET state = 'FAILED', failure_reason = 'the guest agent died' WHERE id = 'b-1'");
        assertThat(count("SELECT count(*) FROM backups WHERE failure_reason = 'the guest agent died'")).isEqualTo(1);
    }

    @Test
    void backupStrategyIsUniquePerProjectAndInstance() throws SQLException {
        exec("INSERT INTO backup_strategy (id, tenant_id, backend, swift_container) VALUES ('s-1', 't', 'swift', 'c')");
        assertFails(UNIQUE_VIOLATION, "INSERT INTO backup_strategy (id, tenant_id, instance_id, backend) "
                + "VALUES ('s-2', 't', '', 'swift')");
        exec("INSERT INTO backup_strategy (id, tenant_id, instance_id, backend) VALUES ('s-3', 't', 'i-1', 'swift')");
    }

    @Test
    void configurationKeysAreUniquePerGroup() throws SQLException {
        exec("INSERT INTO datastores (id, name) VALUES ('ds-1', 'mysql')");
        exec("INSERT INTO datastore_versions (id, datastore_id, name, version, active) "
                + "VALUES ('v-1', 'ds-1', '8.0', '8.0', true)");
        exec("INSERT INTO configurations (id, name, tenant_id, datastore_version_id) "
                + "VALUES ('cfg-1', 'g', 't', 'v-1')");
        exec("INSERT INTO configuration_parameters (configuration_id, configuration_key, configuration_value) "
                + "VALUES ('cfg-1', 'max_connections', '100')");
        assertFails(UNIQUE_VIOLATION, "INSERT INTO configuration_parameters "
                + "(configuration_id, configuration_key, configuration_value) VALUES ('cfg-1', 'max_connections', '5')");
        assertFails(FK_VIOLATION, "INSERT INTO configuration_parameters (configuration_id, configuration_key) "
                + "VALUES ('no-such-group', 'k')");
        assertFails(FK_VIOLATION, "INSERT INTO configurations (id, name, tenant_id, datastore_version_id) "
                + "VALUES ('cfg-2', 'g', 't', 'no-such-version')");

        exec("INSERT INTO datastore_configuration_parameters (id, name, datastore_version_id, data_type) "
                + "VALUES ('p-1', 'max_connections', 'v-1', 'integer')");
        assertFails(UNIQUE_VIOLATION, "INSERT INTO datastore_configuration_parameters "
                + "(id, name, datastore_version_id, data_type) VALUES ('p-2', 'max_connections', 'v-1', 'string')");
    }

    @Test
    void quotasAndReservationsHoldTheirKeys() throws SQLException {
        exec("INSERT INTO quotas (id, tenant_id, resource, hard_limit) VALUES ('q-1', 't', 'instances', 5)");
        assertFails(UNIQUE_VIOLATION,
                "INSERT INTO quotas (id, tenant_id, resource, hard_limit) VALUES ('q-2', 't', 'instances', 6)");
        exec("INSERT INTO quota_usages (id, tenant_id, resource) VALUES ('u-1', 't', 'instances')");
        assertThat(count("SELECT in_use + reserved FROM quota_usages WHERE id = 'u-1'")).isZero();
        assertFails(UNIQUE_VIOLATION,
                "INSERT INTO quota_usages (id, tenant_id, resource) VALUES ('u-2', 't', 'instances')");
        exec("INSERT INTO reservations (id, usage_id, delta, status) VALUES ('r-1', 'u-1', 1, 'Reserved')");
        assertFails(FK_VIOLATION,
                "INSERT INTO reservations (id, usage_id, delta, status) VALUES ('r-2', 'nope', 1, 'Reserved')");
    }

    @Test
    void liveModulesAreUniqueWhereAnyMatchesAny() throws SQLException {
        String insert = "INSERT INTO modules (id, name, type, contents, md5, created, updated) "
                + "VALUES ('%s', 'mod', 'ping', 'x', 'd41d8cd98f00b204e9800998ecf8427e', "
                + "timezone('utc', now()), timezone('utc', now()))";
        exec(String.format(insert, "mod-1"));
        assertFails(UNIQUE_VIOLATION, String.format(insert, "mod-2"));

        exec("UPDATE modules SET deleted = true, deleted_at = timezone('utc', now()) WHERE id = 'mod-1'");
        exec(String.format(insert, "mod-3"));

        insertInstance("inst-1", "t");
        exec("INSERT INTO instance_modules (id, instance_id, module_id, md5, created, updated) "
                + "VALUES ('im-1', 'inst-1', 'mod-3', 'd41d8cd98f00b204e9800998ecf8427e', "
                + "timezone('utc', now()), timezone('utc', now()))");
        assertFails(FK_VIOLATION, "INSERT INTO instance_modules (id, instance_id, module_id, md5, created, updated) "
                + "VALUES ('im-2', 'inst-1', 'nope', 'x', timezone('utc', now()), timezone('utc', now()))");
    }

    @Test
    void instanceChildrenNeedAnInstance() throws SQLException {
        assertFails(FK_VIOLATION, "INSERT INTO instance_faults (id, instance_id, message, details, created, updated) "
                + "VALUES ('f-1', 'nope', 'm', 'd', timezone('utc', now()), timezone('utc', now()))");
        assertFails(FK_VIOLATION, "INSERT INTO root_enabled_history (instance_id, user_id, created) "
                + "VALUES ('nope', 'u', timezone('utc', now()))");
        insertInstance("inst-1", "t");
        exec("INSERT INTO root_enabled_history (instance_id, user_id, created) "
                + "VALUES ('inst-1', 'u', timezone('utc', now()))");
        assertFails(UNIQUE_VIOLATION, "INSERT INTO root_enabled_history (instance_id, user_id, created) "
                + "VALUES ('inst-1', 'u2', timezone('utc', now()))");
    }

    @Test
    void aLocalAddressIsHeldByOneInstanceOnlyAndGoesWithAPurgedInstance() throws SQLException {
        insertInstance("inst-1", "t");
        insertInstance("inst-2", "t");
        exec("INSERT INTO local_addresses (address, instance_id) VALUES ('127.1.0.1', 'inst-1')");
        assertFails(UNIQUE_VIOLATION, "INSERT INTO local_addresses (address, instance_id) VALUES ('127.1.0.1', 'inst-2')");
        assertFails(UNIQUE_VIOLATION, "INSERT INTO local_addresses (address, instance_id) VALUES ('127.1.0.2', 'inst-1')");
        assertFails(FK_VIOLATION, "INSERT INTO local_addresses (address, instance_id) VALUES ('127.1.0.3', 'nope')");
        exec("INSERT INTO local_addresses (address, instance_id) VALUES ('127.1.0.1', 'inst-2') ON CONFLICT DO NOTHING");
        assertThat(count("SELECT count(*) FROM local_addresses WHERE instance_id = 'inst-2'")).isZero();

        exec("DELETE FROM instances WHERE id = 'inst-1'");
        assertThat(count("SELECT count(*) FROM local_addresses")).isZero();
    }

    /** A database at V2 with instances on the local back end: V3 fills its table from the live instances. */
    @Test
    void theLocalAddressesOfLiveInstancesAreCarriedOver() throws SQLException {
        String v2Url = TestInfrastructure.get().createExtraDatabase("v2_to_v3");
        Flyway atV2 = Flyway.configure().dataSource(v2Url, user, password).locations("classpath:db/migration")
                .target("2").load();
        atV2.migrate();
        try (Connection c = DriverManager.getConnection(v2Url, user, password); Statement s = c.createStatement()) {
            String insert = "INSERT INTO instances (id, name, tenant_id, task_id, created, updated, deleted, addresses) "
                    + "VALUES ('%s', 'n', 't', 1, timezone('utc', now()) - interval '%d minutes', "
                    + "timezone('utc', now()), %s, %s)";
            s.execute(insert.formatted("live", 5, "false",
                    "'[{\"address\": \"127.1.0.7\", \"type\": \"private\", \"network\": \"local\"}]'"));
            s.execute(insert.formatted("deleted", 9, "true",
                    "'[{\"address\": \"127.1.0.8\", \"type\": \"private\", \"network\": \"local\"}]'"));
            s.execute(insert.formatted("neutron", 4, "false",
                    "'[{\"address\": \"10.0.0.5\", \"type\": \"private\", \"network\": \"n-1\"}]'"));
            s.execute(insert.formatted("no-address", 3, "false", "NULL"));
            s.execute(insert.formatted("not-a-list", 2, "false", "'{}'"));
            // two live instances listing one address (cannot happen, but a migration must not fail on it)
            s.execute(insert.formatted("newer", 1, "false",
                    "'[{\"address\": \"127.1.0.7\", \"type\": \"private\", \"network\": \"local\"}]'"));
        }

        MigrateResult toV3 = Flyway.configure().dataSource(v2Url, user, password).locations("classpath:db/migration")
                .target("3").load().migrate();

        assertThat(toV3.migrationsExecuted).isEqualTo(1);
        Map<String, String> held = new HashMap<>();
        try (Connection c = DriverManager.getConnection(v2Url, user, password); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT address, instance_id FROM local_addresses")) {
            while (rs.next()) {
                held.put(rs.getString(1), rs.getString(2));
            }
        }
        assertThat(held).containsExactly(Map.entry("127.1.0.7", "live"));
    }

    // -----------------------------------------------------------------------------------------
    // helpers
    // -----------------------------------------------------------------------------------------

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private void insertInstance(String id, String tenant) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO instances (id, name, tenant_id, task_id, "
                + "created, updated) VALUES (?, ?, ?, 1, timezone('utc', now()), timezone('utc', now()))")) {
            ps.setString(1, id);
            ps.setString(2, "name-" + id);
            ps.setString(3, tenant);
            ps.executeUpdate();
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    /** Runs {@code sql} expecting PostgreSQL to refuse it with {@code sqlState}; the transaction stays usable. */
    private void assertFails(String sqlState, String sql) throws SQLException {
        Savepoint savepoint = conn.setSavepoint();
        SQLException e = catchThrowableOfType(SQLException.class, () -> exec(sql));
        conn.rollback(savepoint);
        assertThat((Throwable) e).as("expected SQLState %s from: %s", sqlState, sql).isNotNull();
        assertThat(e.getSQLState()).as("SQLState of '%s' (%s)", sql, e.getMessage()).isEqualTo(sqlState);
    }

    private void assertIndexLeadingWith(String table, String... leadingColumns) throws SQLException {
        List<List<String>> indexes = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT i.indexrelid, i.indnkeyatts FROM pg_index i WHERE i.indrelid = ?::regclass")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    int keys = rs.getInt(2);
                    List<String> cols = new ArrayList<>();
                    for (int k = 1; k <= keys; k++) {
                        try (PreparedStatement col = conn.prepareStatement("SELECT pg_get_indexdef(?::oid, ?, true)")) {
                            col.setLong(1, oid);
                            col.setInt(2, k);
                            try (ResultSet c = col.executeQuery()) {
                                c.next();
                                cols.add(c.getString(1));
                            }
                        }
                    }
                    indexes.add(cols);
                }
            }
        }
        List<String> wanted = List.of(leadingColumns);
        boolean found = indexes.stream().anyMatch(cols -> cols.size() >= wanted.size()
                && cols.subList(0, wanted.size()).equals(wanted));
        assertThat(found).as("an index on %s leading with %s; indexes: %s", table, wanted, indexes).isTrue();
    }
}
