package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.trovej.common.json.PythonJson;
import org.trovej.common.log.GuestLogAction;
import org.trovej.common.log.GuestLogInfo;
import org.trovej.common.rpc.RemoteError;
import org.trovej.common.rpc.RpcContext;
import org.trovej.guestagent.log.DirectoryLogStore;

/**
 * The guest log 'general' of a real PostgreSQL 15 over encrypted RPC: switched on and off at runtime (a reload),
 * kept across a restart, the agent's own statements (a user's password verifier) never in it while a user's
 * query is, and the agent's log for admins only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresGuestLogsTest {

    static final RpcContext USER = RpcContext.user("u1", "tenant-1", false);
    static final RpcContext ADMIN = RpcContext.user("admin", "tenant-1", true);
    private static final String ROOT_PASSWORD = "r00t-Pass";
    private static final String SECRET = "Sekr1t-Log-Pass-" + UUID.randomUUID().toString().substring(0, 6);

    private final String exchange = "trove_pglog_" + UUID.randomUUID().toString().substring(0, 8);
    private Path base;
    private GuestRpc rpc;
    private GuestInstance db;
    private DirectoryLogStore store;

    @BeforeAll
    void setUp() throws Exception {
        base = Files.createTempDirectory("trove-pglog-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        store = new DirectoryLogStore(base.resolve("store"));
        rpc = new GuestRpc(exchange, "pg-logs-test");
        db = new GuestInstance(base, exchange, 2, null, true);
        rpc.expect(db.id, db.key);
        ObjectNode prepare = PythonJson.object();
        prepare.put("memory_mb", 256);
        prepare.putArray("databases").addObject().put("_name", "appdb");
        prepare.put("mount_point", db.dataDir.toString());
        prepare.put("root_password", ROOT_PASSWORD);
        rpc.guest(db.id, db.key).cast(USER, "prepare", prepare);
        db.startAgent(agent -> agent.manager().guestLogs().useStores(context -> store));
        assertThat(rpc.conductor.awaitLatestStatus(db.id, "healthy", Duration.ofSeconds(90))).isEqualTo("healthy");
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

    static List<GuestLogInfo> list(GuestRpc rpc, String id, String key, RpcContext context) {
        List<GuestLogInfo> logs = new ArrayList<>();
        rpc.guest(id, key).call(context, GuestLogInfo.LIST_METHOD, PythonJson.object(), GuestRpc.CALL)
                .forEach(l -> logs.add(GuestLogInfo.fromWire(l)));
        return logs;
    }

    static GuestLogInfo act(GuestRpc rpc, String id, String key, RpcContext context, String log, Integer enable,
                            Integer disable, Integer publish, Integer discard) {
        JsonNode reply = rpc.guest(id, key).call(context, GuestLogInfo.ACTION_METHOD,
                new GuestLogAction(log, enable, disable, publish, discard).toWire(), GuestRpc.CALL);
        return GuestLogInfo.fromWire(reply);
    }

    /** What the store holds of the log, its objects joined in name order. */
    static String published(DirectoryLogStore store, GuestLogInfo info) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (String object : store.list(info.container(), info.prefix())) {
            joined.writeBytes(store.bytes(info.container(), object));
        }
        return joined.toString(StandardCharsets.UTF_8);
    }

    private GuestLogInfo act(RpcContext context, String log, Integer enable, Integer disable, Integer publish) {
        return act(rpc, db.id, db.key, context, log, enable, disable, publish, null);
    }

    private String show(String parameter) throws Exception {
        try (Connection c = db.connect("postgres", "root", ROOT_PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + parameter)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void query(String sql) throws Exception {
        try (Connection c = db.connect("postgres", "root", ROOT_PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    @Order(1)
    void theGeneralLogIsSwitchedOnAtRuntimeAndHoldsUsersQueriesButNotTheAgentsPasswords() throws Exception {
        assertThat(list(rpc, db.id, db.key, USER)).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("general");
            assertThat(l.type()).isEqualTo("USER");
            assertThat(l.status()).isEqualTo("Disabled");
            assertThat(l.container()).isEqualTo("None");
        });
        assertThat(show("log_statement")).isEqualTo("none");

        GuestLogInfo enabled = act(USER, "general", 1, null, null);
        // the server log already holds the server's start: there is something to publish at once
        assertThat(enabled.status()).isIn("Enabled", "Ready");
        assertThat(show("log_statement")).isEqualTo("all");
        assertThat(show("log_min_duration_statement")).isEqualTo("0");

        ObjectNode args = PythonJson.object();
        ObjectNode user = args.putArray("users").addObject();
        user.put("_name", "logged_user");
        user.put("_password", SECRET);
        user.put("_host", "%");
        rpc.call(db.id, db.key, "create_user", args);
        ObjectNode change = PythonJson.object();
        ObjectNode changed = change.putArray("users").addObject();
        changed.put("name", "logged_user");
        changed.put("password", SECRET + "-2");
        changed.put("host", "%");
        rpc.call(db.id, db.key, "change_passwords", change);
        query("SELECT 'user-query-marker-1'");
        assertThat(act(USER, "general", null, null, null).status()).isEqualTo("Ready");

        GuestLogInfo published = act(USER, "general", null, null, 1);
        assertThat(published.status()).isIn("Published", "Partial");
        assertThat(published.container()).isEqualTo("database_logs");
        assertThat(published.prefix()).isEqualTo(db.id + "/postgresql-general/");
        String text = published(store, published);
        assertThat(text).contains("user-query-marker-1").doesNotContain(SECRET).doesNotContain("SCRAM-SHA-256$")
                .doesNotContain("logged_user");
        assertThat(Files.readString(db.dataDir.resolve("postgresql.log"))).doesNotContain(SECRET)
                .doesNotContain("SCRAM-SHA-256$");

        query("SELECT 'user-query-marker-2'");
        assertThat(act(USER, "general", null, null, null).status()).isEqualTo("Partial");
    }

    @Test
    @Order(2)
    void theAgentsLogIsForAdminsOnly() {
        assertThat(list(rpc, db.id, db.key, USER)).extracting(GuestLogInfo::name).containsExactly("general");
        assertThat(list(rpc, db.id, db.key, ADMIN)).extracting(GuestLogInfo::name).containsExactly("general", "guest");
        assertThatThrownBy(() -> act(USER, "guest", null, null, 1)).isInstanceOfSatisfying(RemoteError.class, e -> {
            assertThat(e.excType()).isEqualTo("LogAccessForbidden");
            assertThat(e.value()).contains("You must be admin to publish log 'guest'.");
        });
        assertThatThrownBy(() -> act(ADMIN, "guest", 1, null, null)).isInstanceOfSatisfying(RemoteError.class,
                e -> assertThat(e.excType()).isEqualTo("BadRequest"));
        assertThatThrownBy(() -> act(USER, "nope", null, null, null)).isInstanceOfSatisfying(RemoteError.class,
                e -> assertThat(e.excType()).isEqualTo("NotFound"));
    }

    @Test
    @Order(3)
    void theLogStaysOnAcrossARestartAndAGroupAndGoesOffWhenDisabled() throws Exception {
        rpc.updateOverrides(db.id, db.key, GuestRpc.values("work_mem", "8MB"), false);
        rpc.call(db.id, db.key, "restart", PythonJson.object());
        assertThat(show("log_statement")).isEqualTo("all");
        assertThat(show("work_mem")).isEqualTo("8MB");
        assertThat(act(USER, "general", null, null, null).status()).isNotEqualTo("Disabled");

        act(USER, "general", null, 1, null);
        assertThat(show("log_statement")).isEqualTo("none");
        assertThat(show("work_mem")).isEqualTo("8MB");
        assertThat(act(USER, "general", null, null, null).status()).isEqualTo("Disabled");
    }
}
