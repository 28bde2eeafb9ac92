package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trovej.guestagent.GuestRpc.values;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RemoteError;
import org.trovej.common.rpc.RpcContext;

/**
 * A configuration group on a real PostgreSQL 15, driven over encrypted RPC as the control plane drives it
 * ({@code update_overrides}, then {@code apply_overrides} when nothing needs a restart, or {@code restart}):
 * reloadable values take effect at the apply, restart-only ones at the restart, a detach brings the defaults
 * back, and a value the server refuses is answered UnprocessableEntity naming the parameter, with the previous
 * layer and values left as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresOverridesTest {

    private static final String ROOT_PASSWORD = "r00t-Pass";

    private final String exchange = "trove_pgcfg_" + UUID.randomUUID().toString().substring(0, 8);
    private Path base;
    private GuestRpc rpc;
    private GuestInstance db;
    private String defaultWorkMem;
    private String defaultMaxConnections;

    @BeforeAll
    void setUp() throws Exception {
        base = Files.createTempDirectory("trove-pgcfg-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        rpc = new GuestRpc(exchange, "pg-overrides-test");
        db = new GuestInstance(base, exchange, 2, null, true);
        rpc.expect(db.id, db.key);
        ObjectNode prepare = PythonJson.object();
        prepare.put("memory_mb", 256);
        prepare.putArray("databases").addObject().put("_name", "appdb");
        prepare.put("mount_point", db.dataDir.toString());
        prepare.put("root_password", ROOT_PASSWORD);
        rpc.guest(db.id, db.key).cast(RpcContext.user("u1", "tenant-1", false), "prepare", prepare);
        db.startAgent();
        assertThat(rpc.conductor.awaitLatestStatus(db.id, "healthy", Duration.ofSeconds(90))).isEqualTo("healthy");
        defaultWorkMem = show("work_mem");
        defaultMaxConnections = show("max_connections");
    }

    @AfterAll
    void tearDown() throws Exception {
        if (db != null) {
            db.cleanUp();
        }
        if (rpc != null) {
            rpc.close();
        }
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A setting as a new session sees it. */
    private String show(String parameter) throws Exception {
        try (Connection c = db.connect("postgres", "root", ROOT_PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + parameter)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private Path layer() {
        return db.pgData().resolve("conf.d").resolve("60-overrides.conf");
    }

    private void update(ObjectNode overrides) {
        rpc.updateOverrides(db.id, db.key, overrides, false);
    }

    private void restart() {
        rpc.call(db.id, db.key, "restart", PythonJson.object());
    }

    private void assertRefused(ObjectNode overrides, String parameter, String reason) {
        assertThatThrownBy(() -> update(overrides)).isInstanceOfSatisfying(RemoteError.class, e -> {
            assertThat(e.excType()).isEqualTo("UnprocessableEntity");
            assertThat(e.value()).contains("'" + parameter + "'").contains(reason);
        });
    }

    @Test
    @Order(1)
    void aReloadableValueIsWrittenByUpdateAndTakesEffectAtApply() throws Exception {
        ObjectNode group = values("work_mem", "8MB", "log_min_duration_statement", 250);
        update(group);
        assertThat(Files.readString(layer())).contains("work_mem = '8MB'").contains("log_min_duration_statement = 250");
        // update_overrides only writes: nothing changes at runtime yet
        assertThat(show("work_mem")).isEqualTo(defaultWorkMem);

        rpc.applyOverrides(db.id, db.key, group);

        assertThat(show("work_mem")).isEqualTo("8MB");
        assertThat(show("log_min_duration_statement")).isEqualTo("250ms");
    }

    @Test
    @Order(2)
    void aRestartOnlyValueTakesEffectAtTheRestartNotBefore() throws Exception {
        update(values("work_mem", "8MB", "log_min_duration_statement", 250, "max_connections", 57));
        assertThat(show("max_connections")).isEqualTo(defaultMaxConnections);

        restart();

        assertThat(show("max_connections")).isEqualTo("57");
        assertThat(show("work_mem")).isEqualTo("8MB");
    }

    @Test
    @Order(3)
    void aValueTheServerRefusesIsNamedAndTheLayerAndValuesStayAsTheyWere() throws Exception {
        String before = Files.readString(layer());

        assertRefused(values("work_mem", "lots"), "work_mem", "invalid value for parameter \"work_mem\": \"lots\"");
        assertRefused(values("log_min_duration_statement", 100, "work_mem", 10), "work_mem",
                "outside the valid range");
        // a restart-only parameter too: its pending restart is not taken for a refusal, a bad value is
        assertRefused(values("max_connections", "many"), "max_connections", "invalid value for parameter");
        assertRefused(values("no_such_parameter", 1), "no_such_parameter", "unrecognized configuration parameter");
        assertRefused(values("application_name", "two\nlines"), "application_name", "may not span lines");

        assertThat(Files.readString(layer())).isEqualTo(before);
        assertThat(show("work_mem")).isEqualTo("8MB");
        assertThat(show("log_min_duration_statement")).isEqualTo("250ms");
        // the server still starts with what the layer has
        restart();
        assertThat(show("max_connections")).isEqualTo("57");
    }

    @Test
    @Order(4)
    void aDetachRemovesTheLayerAndApplyingTheDefaultsBringsThemBack() throws Exception {
        rpc.updateOverrides(db.id, db.key, PythonJson.object(), true);
        assertThat(layer()).doesNotExist();
        assertThat(show("work_mem")).isEqualTo("8MB");

        // what the control plane sends on a detach: the defaults of the group's reloadable parameters
        rpc.applyOverrides(db.id, db.key, values("work_mem", defaultWorkMem, "log_min_duration_statement", -1));

        assertThat(show("work_mem")).isEqualTo(defaultWorkMem);
        assertThat(show("log_min_duration_statement")).isEqualTo("-1");
        assertThat(show("max_connections")).isEqualTo("57");
        restart();
        assertThat(show("max_connections")).isEqualTo(defaultMaxConnections);
    }

    @Test
    @Order(5)
    void theOverridesArgumentMustBeADict() {
        ObjectNode args = PythonJson.object();
        args.putArray("overrides").add("work_mem");
        args.put("remove", false);
        assertThatThrownBy(() -> rpc.call(db.id, db.key, "update_overrides", args))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("BadRequest"));
    }
}
