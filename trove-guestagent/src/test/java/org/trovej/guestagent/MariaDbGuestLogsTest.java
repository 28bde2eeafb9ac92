package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
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
import org.trovej.common.log.GuestLogInfo;
import org.trovej.common.rpc.RpcContext;
import org.trovej.guestagent.log.DirectoryLogStore;

/**
 * The guest logs 'general' and 'slow_query' of a real MariaDB 10.11 over encrypted RPC: switched at runtime
 * (SET GLOBAL), kept across a restart, the agent's own statements (users' passwords, root's) never in them while a
 * user's query is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbGuestLogsTest {

    private static final RpcContext USER = PostgresGuestLogsTest.USER;
    private static final String ROOT_PASSWORD = "r00t-Pass";
    private String rootPassword = ROOT_PASSWORD;
    private static final String SECRET = "Sekr1t-Log-Pass-" + UUID.randomUUID().toString().substring(0, 6);

    private final String exchange = "trove_mlog_" + UUID.randomUUID().toString().substring(0, 8);
    private Path base;
    private GuestRpc rpc;
    private MariaDbInstance db;
    private DirectoryLogStore store;

    @BeforeAll
    void setUp() throws Exception {
        base = Files.createTempDirectory("trove-mlog-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        store = new DirectoryLogStore(base.resolve("store"));
        rpc = new GuestRpc(exchange, "mariadb-logs-test");
        db = new MariaDbInstance(base, exchange, "mariadb", null);
        rpc.expect(db.id, db.key);
        ObjectNode prepare = PythonJson.object();
        prepare.put("memory_mb", 256);
        prepare.putArray("databases").addObject().put("_name", "appdb");
        prepare.put("mount_point", db.dataDir.toString());
        prepare.put("root_password", ROOT_PASSWORD);
        rpc.guest(db.id, db.key).cast(USER, "prepare", prepare);
        db.startAgent(agent -> agent.manager().guestLogs().useStores(context -> store));
        assertThat(rpc.conductor.awaitLatestStatus(db.id, "healthy", Duration.ofSeconds(120))).isEqualTo("healthy");
        ObjectNode root = PythonJson.object();
        root.put("root_password", ROOT_PASSWORD);
        rpc.call(db.id, db.key, "enable_root_with_password", root);
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

    private GuestLogInfo act(String log, Integer enable, Integer disable, Integer publish) {
        return PostgresGuestLogsTest.act(rpc, db.id, db.key, USER, log, enable, disable, publish, null);
    }

    private String global(String variable) throws Exception {
        try (Connection c = db.connect(null, "root", rootPassword)) {
            return MariaDbInstance.rows(c, "SELECT @@GLOBAL." + variable).get(0);
        }
    }

    private void query(String sql) throws Exception {
        try (Connection c = db.connect(null, "root", rootPassword); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    @Order(1)
    void theGeneralLogHoldsUsersQueriesButNotTheAgentsPasswords() throws Exception {
        assertThat(PostgresGuestLogsTest.list(rpc, db.id, db.key, USER)).extracting(GuestLogInfo::name)
                .containsExactly("general", "slow_query");
        assertThat(act("general", null, null, null).status()).isEqualTo("Disabled");

        assertThat(act("general", 1, null, null).status()).isIn("Enabled", "Ready");
        assertThat(global("general_log")).isEqualTo("1");
        assertThat(global("general_log_file")).isEqualTo(db.dataDir.resolve("mariadb-general.log").toString());

        ObjectNode args = PythonJson.object();
        ObjectNode user = args.putArray("users").addObject();
        user.put("_name", "logged_user");
        user.put("_password", SECRET);
        user.put("_host", "%");
        rpc.call(db.id, db.key, "create_user", args);
        ObjectNode root = PythonJson.object();
        root.put("root_password", SECRET + "-root");
        rpc.call(db.id, db.key, "enable_root_with_password", root);
        rootPassword = SECRET + "-root";
        query("SELECT 'user-query-marker-1'");

        GuestLogInfo published = act("general", null, null, 1);
        assertThat(published.status()).isIn("Published", "Partial");
        assertThat(published.prefix()).isEqualTo(db.id + "/mariadb-general/");
        String text = PostgresGuestLogsTest.published(store, published);
        assertThat(text).contains("user-query-marker-1").doesNotContain(SECRET).doesNotContain("logged_user")
                .doesNotContain("IDENTIFIED");
    }

    @Test
    @Order(2)
    void theSlowQueryLogAndTheGeneralLogStayOnAcrossARestartAndGoOffWhenDisabled() throws Exception {
        act("slow_query", 1, null, null);
        assertThat(global("slow_query_log")).isEqualTo("1");
        assertThat(Double.parseDouble(global("long_query_time"))).isEqualTo(1.0);
        query("SELECT SLEEP(1.2), 'slow-marker'");
        GuestLogInfo slow = act("slow_query", null, null, 1);
        assertThat(PostgresGuestLogsTest.published(store, slow)).contains("slow-marker");

        rpc.updateOverrides(db.id, db.key, GuestRpc.values("max_connections", 77), false);
        rpc.call(db.id, db.key, "restart", PythonJson.object());
        assertThat(global("general_log")).isEqualTo("1");
        assertThat(global("slow_query_log")).isEqualTo("1");
        assertThat(global("max_connections")).isEqualTo("77");

        act("general", null, 1, null);
        act("slow_query", null, 1, null);
        assertThat(global("general_log")).isEqualTo("0");
        assertThat(global("slow_query_log")).isEqualTo("0");
        assertThat(act("general", null, null, null).status()).isEqualTo("Disabled");
        rpc.call(db.id, db.key, "restart", PythonJson.object());
        assertThat(global("general_log")).isEqualTo("0");
        assertThat(global("max_connections")).isEqualTo("77");
    }
}
