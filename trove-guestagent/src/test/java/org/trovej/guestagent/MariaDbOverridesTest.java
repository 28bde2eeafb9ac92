package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trovej.guestagent.GuestRpc.values;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
 * A configuration group on a real MariaDB, driven over encrypted RPC as the control plane drives it: dynamic
 * variables take effect at {@code apply_overrides} (SET GLOBAL), read-only ones at the restart; a detach and the
 * defaults bring the defaults back; a value the server refuses, in the option files at the update or at runtime
 * at the apply, is answered UnprocessableEntity naming it, with the layer and the variables as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbOverridesTest {

    private static final String ROOT_PASSWORD = "Root-Pass-1";

    private final String exchange = "trove_mdbcfg_" + UUID.randomUUID().toString().substring(0, 8);
    private Path base;
    private GuestRpc rpc;
    private MariaDbInstance db;
    private String defaultMaxConnections;
    private String defaultLogBuffer;

    @BeforeAll
    void setUp() throws Exception {
        base = Files.createTempDirectory("trove-mdbcfg-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        rpc = new GuestRpc(exchange, "mariadb-overrides-test");
        db = new MariaDbInstance(base, exchange, "mariadb", null);
        rpc.expect(db.id, db.key);
        ObjectNode prepare = PythonJson.object();
        prepare.put("memory_mb", 256);
        prepare.putArray("databases").addObject().put("_name", "appdb");
        prepare.put("mount_point", db.dataDir.toString());
        prepare.put("root_password", ROOT_PASSWORD);
        rpc.guest(db.id, db.key).cast(RpcContext.user("u1", "tenant-1", false), "prepare", prepare);
        db.startAgent();
        assertThat(rpc.conductor.awaitLatestStatus(db.id, "healthy", Duration.ofSeconds(90))).isEqualTo("healthy");
        defaultMaxConnections = global("max_connections");
        defaultLogBuffer = global("innodb_log_buffer_size");
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

    private String global(String variable) throws Exception {
        try (Connection c = db.connect(null, "root", ROOT_PASSWORD)) {
            return MariaDbInstance.rows(c, "SELECT @@GLOBAL." + variable).get(0);
        }
    }

    private Path layer() {
        return db.dataDir.resolve("conf.d").resolve("60-overrides.cnf");
    }

    private void update(ObjectNode overrides) {
        rpc.updateOverrides(db.id, db.key, overrides, false);
    }

    private void apply(ObjectNode overrides) {
        rpc.applyOverrides(db.id, db.key, overrides);
    }

    private void restart() {
        rpc.call(db.id, db.key, "restart", PythonJson.object());
    }

    private static void assertRefused(ThrowingCallable call, String parameter, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RemoteError.class, e -> {
            assertThat(e.excType()).isEqualTo("UnprocessableEntity");
            assertThat(e.value()).contains("'" + parameter + "'").contains(reason);
        });
    }

    @Test
    @Order(1)
    void aDynamicVariableIsWrittenByUpdateAndTakesEffectAtApply() throws Exception {
        ObjectNode group = values("max_connections", 123, "slow_query_log", true, "log_slow_query_time", 2.5);
        update(group);
        assertThat(Files.readString(layer())).contains("max_connections = 123");
        assertThat(global("max_connections")).isEqualTo(defaultMaxConnections);

        apply(group);

        assertThat(global("max_connections")).isEqualTo("123");
        assertThat(global("slow_query_log")).isEqualTo("1");
        assertThat(global("log_slow_query_time")).startsWith("2.5");
    }

    @Test
    @Order(2)
    void aReadOnlyVariableTakesEffectAtTheRestartNotBefore() throws Exception {
        update(values("max_connections", 123, "innodb_log_buffer_size", 33554432));
        assertThat(global("innodb_log_buffer_size")).isEqualTo(defaultLogBuffer).isNotEqualTo("33554432");

        restart();

        assertThat(global("innodb_log_buffer_size")).isEqualTo("33554432");
        assertThat(global("max_connections")).isEqualTo("123");
    }

    @Test
    @Order(3)
    void aValueTheOptionFilesCannotTakeIsRefusedAtTheUpdateAndTheLayerStays() throws Exception {
        String before = Files.readString(layer());

        assertRefused(() -> update(values("wait_timeout", 600, "max_connections", "abc")), "max_connections",
                "'abc'");
        assertRefused(() -> update(values("no_such_variable", 1)), "no_such_variable", "unknown variable");
        assertRefused(() -> update(values("init_connect", "SET @a = 1;\nSET @b = 2")), "init_connect",
                "may not span lines");

        assertThat(Files.readString(layer())).isEqualTo(before);
        restart();
        assertThat(global("max_connections")).isEqualTo("123");
    }

    @Test
    @Order(4)
    void aValueTheServerRefusesAtApplyUndoesTheApplyAndPutsTheLayerBack() throws Exception {
        String before = Files.readString(layer());
        String waitTimeout = global("wait_timeout");

        // max_connections = 'abc' straight at runtime: the server refuses it, nothing stays changed
        assertRefused(() -> apply(values("wait_timeout", 601, "max_connections", "abc")), "max_connections",
                "database: Incorrect argument type to variable 'max_connections'");
        assertThat(global("wait_timeout")).isEqualTo(waitTimeout);
        assertThat(global("max_connections")).isEqualTo("123");

        // after an update: the variables set before the refused one are set back, and the update's layer goes
        update(values("max_connections", 140, "back_log", 77));
        assertThat(Files.readString(layer())).contains("back_log = 77");
        assertRefused(() -> apply(values("max_connections", 140, "back_log", 77)), "back_log", "read only");
        assertThat(global("max_connections")).isEqualTo("123");
        assertThat(Files.readString(layer())).isEqualTo(before);

        assertRefused(() -> apply(values("max_connections; SET GLOBAL x", 1)), "max_connections; SET GLOBAL x",
                "not a variable name");
    }

    @Test
    @Order(5)
    void aDetachEmptiesTheLayerAndApplyingTheDefaultsBringsThemBack() throws Exception {
        rpc.updateOverrides(db.id, db.key, PythonJson.object(), true);
        assertThat(Files.readString(layer())).doesNotContain("max_connections");
        assertThat(global("max_connections")).isEqualTo("123");

        apply(values("max_connections", Integer.parseInt(defaultMaxConnections), "slow_query_log", false));

        assertThat(global("max_connections")).isEqualTo(defaultMaxConnections);
        assertThat(global("slow_query_log")).isEqualTo("0");
        restart();
        assertThat(global("innodb_log_buffer_size")).isEqualTo(defaultLogBuffer);
        assertThat(global("max_connections")).isEqualTo(defaultMaxConnections);
    }
}
