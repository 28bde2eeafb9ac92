package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.testsupport.TestInfrastructure;

/**
 * Trove's guest API for databases, users, access and root on a real MariaDB, driven over encrypted RPC as the
 * control plane drives it, and checked from the outside: every account logs in (or is refused) with the real
 * JDBC driver exactly as its grants and host say.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbAccountsTest {

    private static final Duration CALL = Duration.ofSeconds(60);
    private static final String ROOT_PASSWORD = "Root-Pass-1";

    private final String exchange = "trove_mdbacc_" + UUID.randomUUID().toString().substring(0, 8);
    private Path base;
    private RpcTransport transport;
    private RpcClient client;
    private RecordingConductor conductor;
    private MariaDbInstance db;

    @BeforeAll
    void setUp() throws Exception {
        base = Files.createTempDirectory("trove-mdbacc-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        transport = RpcTransport.connect(TestInfrastructure.get().amqpUri(), exchange, "mariadb-accounts-test",
                Duration.ofSeconds(20));
        client = new RpcClient(transport);
        conductor = new RecordingConductor(transport);
        db = new MariaDbInstance(base, exchange, "mariadb", null);
        conductor.register(db.id, db.key);
        transport.predeclare(Topics.guest(db.id), db.id);
        ObjectNode prepare = PythonJson.object();
        prepare.put("memory_mb", 256);
        prepare.putArray("databases").addObject().put("_name", "appdb");
        ObjectNode user = prepare.putArray("users").addObject();
        user.put("_name", "appuser");
        user.put("_password", "App-Pass-1");
        user.put("_host", "%");
        user.putArray("_databases").addObject().put("_name", "appdb");
        prepare.put("mount_point", db.dataDir.toString());
        guest().cast(RpcContext.user("u1", "tenant-1", false), "prepare", prepare);
        db.startAgent();
        assertThat(conductor.awaitLatestStatus(db.id, "healthy", Duration.ofSeconds(60))).isEqualTo("healthy");
    }

    @AfterAll
    void tearDown() throws Exception {
        if (db != null) {
            db.cleanUp();
        }
        if (conductor != null) {
            conductor.close();
        }
        if (client != null) {
            client.close();
        }
        if (transport != null) {
            transport.close();
        }
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private RpcClient.Target guest() {
        return client.target(Topics.guest(db.id), "1.3", new SecureSerializer(db.key));
    }

    private JsonNode call(String method, ObjectNode args) {
        return guest().call(RpcContext.service(), method, args, CALL);
    }

    private static ObjectNode schema(String name) {
        return schema(name, null, null);
    }

    private static ObjectNode schema(String name, String charset, String collate) {
        ObjectNode node = PythonJson.object();
        node.put("_name", name);
        node.put("_character_set", charset);
        node.put("_collate", collate);
        return node;
    }

    private static ObjectNode user(String name, String password, String host, String... databases) {
        ObjectNode node = PythonJson.object();
        node.put("_name", name);
        node.put("_password", password);
        node.put("_host", host);
        ArrayNode dbs = node.putArray("_databases");
        for (String d : databases) {
            dbs.add(schema(d));
        }
        return node;
    }

    private static ObjectNode args(Object... pairs) {
        ObjectNode node = PythonJson.object();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], PythonJson.valueToTree(pairs[i + 1]));
        }
        return node;
    }

    private static List<String> names(JsonNode list) {
        List<String> result = new ArrayList<>();
        list.forEach(n -> result.add(n.get("_name").asText() + (n.has("_host") ? "@" + n.get("_host").asText() : "")));
        return result;
    }

    private static void refusedAs(String excType, Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo(excType));
    }

    private String whoAmI(String database, String user, String password) throws SQLException {
        try (Connection c = db.connect(database, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String whoAmIFrom(String source, String database, String user, String password) throws SQLException {
        try (Connection c = db.connectFrom(source, database, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The server's error code for what {@code check} did, or 0 when it worked. */
    private static int errorCode(SqlCheck check) {
        try {
            check.run();
        } catch (SQLException e) {
            return e.getErrorCode();
        }
        return 0;
    }

    private interface SqlCheck {
        void run() throws SQLException;
    }

    @Test
    @Order(1)
    void databasesAreCreatedListedInPagesAndDropped() {
        ArrayNode dbs = PythonJson.array();
        dbs.add(schema("db_c"));
        dbs.add(schema("db_a", "utf8mb4", "utf8mb4_unicode_ci"));
        dbs.add(schema("db_b", "latin1", null));
        call("create_database", args("databases", dbs));
        JsonNode all = call("list_databases", args("limit", 100, "marker", null, "include_marker", false));
        // the engine's own databases (mysql, information_schema, performance_schema, sys) are not listed
        assertThat(names(all.get(0))).containsExactly("appdb", "db_a", "db_b", "db_c");
        assertThat(all.get(1).isNull()).isTrue();
        JsonNode dbA = all.get(0).get(1);
        assertThat(dbA.get("_character_set").asText()).isEqualTo("utf8mb4");
        assertThat(dbA.get("_collate").asText()).isEqualTo("utf8mb4_unicode_ci");
        assertThat(all.get(0).get(2).get("_character_set").asText()).isEqualTo("latin1");

        JsonNode first = call("list_databases", args("limit", 2, "marker", null, "include_marker", false));
        assertThat(names(first.get(0))).containsExactly("appdb", "db_a");
        assertThat(first.get(1).asText()).isEqualTo("db_a");
        JsonNode second = call("list_databases", args("limit", 2, "marker", "db_a", "include_marker", false));
        assertThat(names(second.get(0))).containsExactly("db_b", "db_c");
        assertThat(second.get(1).isNull()).isTrue();
        JsonNode including = call("list_databases", args("limit", 1, "marker", "db_b", "include_marker", true));
        assertThat(names(including.get(0))).containsExactly("db_b");

        call("delete_database", args("database", schema("db_c")));
        assertThat(names(call("list_databases", args("limit", 100)).get(0))).doesNotContain("db_c");
        refusedAs("DatabaseNotFound", () -> call("delete_database", args("database", schema("db_c"))));
        refusedAs("BadRequest", () -> call("delete_database", args("database", schema("mysql"))));
        refusedAs("BadRequest", () -> call("create_database", args("databases", PythonJson.array()
                .add(schema("sys")))));
        // what the server refuses of the input: unknown character set, unknown collation, a mismatch of both
        refusedAs("BadRequest", () -> call("create_database", args("databases", PythonJson.array()
                .add(schema("bad1", "klingon", null)))));
        refusedAs("BadRequest", () -> call("create_database", args("databases", PythonJson.array()
                .add(schema("bad2", null, "klingon_ci")))));
        refusedAs("BadRequest", () -> call("create_database", args("databases", PythonJson.array()
                .add(schema("bad3", "latin1", "utf8mb4_unicode_ci")))));
        refusedAs("BadRequest", () -> call("create_database", args("databases", PythonJson.array()
                .add(schema("bad4", "utf8; DROP DATABASE appdb", null)))));
        refusedAs("BadRequest", () -> call("create_database", args("databases", PythonJson.array()
                .add(schema("x".repeat(65))))));
        assertThat(names(call("list_databases", args("limit", 100)).get(0))).containsExactly("appdb", "db_a", "db_b");
    }

    @Test
    @Order(2)
    void usersLogInToExactlyTheDatabasesTheyWereGranted() throws Exception {
        ArrayNode users = PythonJson.array();
        users.add(user("alice", "Alice-Pass-1", "%", "db_a"));
        users.add(user("Bob.Smith", "Bob-Pass-1", "%"));
        users.add(user("dave", "Dave-Pass-1", "127.0.0.1", "db_b"));
        users.add(user("dave", "Dave-Pass-2", "%"));
        call("create_user", args("users", users));

        assertThat(whoAmI("db_a", "alice", "Alice-Pass-1")).isEqualTo("alice@%");
        assertThat(errorCode(() -> whoAmI("db_b", "alice", "Alice-Pass-1"))).isEqualTo(1044);
        assertThat(errorCode(() -> whoAmI("db_a", "Bob.Smith", "Bob-Pass-1"))).isEqualTo(1044);
        assertThat(whoAmI(null, "Bob.Smith", "Bob-Pass-1")).isEqualTo("Bob.Smith@%");
        assertThat(errorCode(() -> whoAmI("db_a", "alice", "wrong"))).isEqualTo(1045);
        // two accounts of one name: the one for the client's address wins, with its own password and grants
        assertThat(whoAmIFrom("127.0.0.1", "db_b", "dave", "Dave-Pass-1")).isEqualTo("dave@127.0.0.1");
        assertThat(whoAmIFrom("127.0.0.3", null, "dave", "Dave-Pass-2")).isEqualTo("dave@%");
        assertThat(errorCode(() -> whoAmIFrom("127.0.0.3", "db_b", "dave", "Dave-Pass-2"))).isEqualTo(1044);

        JsonNode list = call("list_users", args("limit", 100, "marker", null, "include_marker", false));
        assertThat(names(list.get(0))).containsExactly("Bob.Smith@%", "alice@%", "appuser@%", "dave@%",
                "dave@127.0.0.1");
        assertThat(list.get(0).get(1).get("_databases").get(0).get("_name").asText()).isEqualTo("db_a");
        assertThat(list.get(0).get(1).get("_password").isNull()).isTrue();
        assertThat(list.get(0).get(4).get("_databases").get(0).get("_name").asText()).isEqualTo("db_b");
        JsonNode page = call("list_users", args("limit", 2, "marker", "Bob.Smith@%", "include_marker", false));
        assertThat(names(page.get(0))).containsExactly("alice@%", "appuser@%");
        assertThat(page.get(1).asText()).isEqualTo("appuser@%");

        JsonNode alice = call("get_user", args("username", "alice", "hostname", "%"));
        assertThat(alice.get("_name").asText()).isEqualTo("alice");
        assertThat(call("get_user", args("username", "dave", "hostname", "127.0.0.1")).get("_host").asText())
                .isEqualTo("127.0.0.1");
        assertThat(call("get_user", args("username", "nobody", "hostname", "%")).isNull()).isTrue();
        assertThat(call("get_user", args("username", "os_admin", "hostname", "127.0.0.1")).isNull()).isTrue();

        refusedAs("UserAlreadyExists", () -> call("create_user", args("users", PythonJson.array()
                .add(user("alice", "x-Pass-1", "%")))));
        refusedAs("DatabaseNotFound", () -> call("create_user", args("users", PythonJson.array()
                .add(user("carol", "x-Pass-1", "%", "no_such_db")))));
        assertThat(call("get_user", args("username", "carol", "hostname", "%")).isNull()).isTrue();
        refusedAs("BadRequest", () -> call("create_user", args("users", PythonJson.array()
                .add(user("root", "x-Pass-1", "%")))));
        refusedAs("BadRequest", () -> call("create_user", args("users", PythonJson.array()
                .add(user("os_admin", "x-Pass-1", "%")))));
        refusedAs("BadRequest", () -> call("create_user", args("users", PythonJson.array()
                .add(user("erin", "x-Pass-1", "localhost")))));
        refusedAs("BadRequest", () -> call("create_user", args("users", PythonJson.array()
                .add(user("erin", "x-Pass-1", "not a host")))));
        refusedAs("BadRequest", () -> call("create_user", args("users", PythonJson.array()
                .add(user("u".repeat(200), "x-Pass-1", "%")))));
        refusedAs("BadRequest", () -> call("grant_access", args("username", "alice", "hostname", "%",
                "databases", List.of("mysql"))));
    }

    @Test
    @Order(3)
    void grantAndRevokeChangeWhoGetsIn() throws Exception {
        call("grant_access", args("username", "Bob.Smith", "hostname", "%", "databases", List.of("db_a", "db_b")));
        assertThat(names(call("list_access", args("username", "Bob.Smith", "hostname", "%"))))
                .containsExactly("db_a", "db_b");
        assertThat(whoAmI("db_b", "Bob.Smith", "Bob-Pass-1")).isEqualTo("Bob.Smith@%");
        try (Connection open = db.connect("db_a", "Bob.Smith", "Bob-Pass-1"); Statement s = open.createStatement()) {
            s.execute("CREATE TABLE bobs (v int)");
            call("revoke_access", args("username", "Bob.Smith", "hostname", "%", "database", "db_a"));
            // the session that was open in it is ended, and a new one is refused
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThat(errorCode(() -> whoAmI("db_a", "Bob.Smith", "Bob-Pass-1"))).isEqualTo(1044);
        assertThat(whoAmI("db_b", "Bob.Smith", "Bob-Pass-1")).isEqualTo("Bob.Smith@%");
        assertThat(names(call("list_access", args("username", "Bob.Smith", "hostname", "%"))))
                .containsExactly("db_b");
        // a grant is for that database only: db_a's '_' is no wildcard matching 'dbXa'
        call("create_database", args("databases", PythonJson.array().add(schema("dbXa"))));
        assertThat(errorCode(() -> whoAmI("dbXa", "alice", "Alice-Pass-1"))).isEqualTo(1044);

        refusedAs("DatabaseNotFound", () -> call("revoke_access", args("username", "Bob.Smith", "hostname", "%",
                "database", "db_a")));
        refusedAs("UserNotFound", () -> call("grant_access", args("username", "nobody", "hostname", "%",
                "databases", List.of("db_a"))));
        refusedAs("DatabaseNotFound", () -> call("grant_access", args("username", "alice", "hostname", "%",
                "databases", List.of("no_such_db"))));
        refusedAs("UserNotFound", () -> call("list_access", args("username", "alice", "hostname", "10.0.0.1")));
    }

    @Test
    @Order(4)
    void renameRehostAndPasswordChangesKeepGrants() throws Exception {
        call("update_attributes", args("username", "alice", "hostname", "%", "user_attrs",
                args("name", "alice2", "password", "Alice-Pass-2")));
        assertThat(whoAmI("db_a", "alice2", "Alice-Pass-2")).isEqualTo("alice2@%");
        assertThat(errorCode(() -> whoAmI("db_a", "alice", "Alice-Pass-1"))).isEqualTo(1045);

        // restricted to 127.0.0.1: in from there, refused from any other address
        call("update_attributes", args("username", "alice2", "hostname", "%", "user_attrs",
                args("host", "127.0.0.1")));
        assertThat(call("get_user", args("username", "alice2", "hostname", "127.0.0.1")).get("_host").asText())
                .isEqualTo("127.0.0.1");
        assertThat(whoAmIFrom("127.0.0.1", "db_a", "alice2", "Alice-Pass-2")).isEqualTo("alice2@127.0.0.1");
        assertThat(errorCode(() -> whoAmIFrom("127.0.0.2", "db_a", "alice2", "Alice-Pass-2"))).isIn(1045, 1130, 1698);
        assertThat(whoAmIFrom("127.0.0.2", "db_b", "Bob.Smith", "Bob-Pass-1")).isEqualTo("Bob.Smith@%");

        ObjectNode change = PythonJson.object();
        change.put("name", "Bob.Smith");
        change.put("host", "%");
        change.put("password", "Bob-Pass-2");
        call("change_passwords", args("users", PythonJson.array().add(change)));
        assertThat(whoAmI("db_b", "Bob.Smith", "Bob-Pass-2")).isEqualTo("Bob.Smith@%");
        assertThat(errorCode(() -> whoAmI("db_b", "Bob.Smith", "Bob-Pass-1"))).isEqualTo(1045);

        refusedAs("UserAlreadyExists", () -> call("update_attributes", args("username", "Bob.Smith",
                "hostname", "%", "user_attrs", args("name", "appuser"))));
        refusedAs("BadRequest", () -> call("update_attributes", args("username", "alice2", "hostname", "127.0.0.1",
                "user_attrs", args("host", "not a host"))));
        refusedAs("UserNotFound", () -> call("update_attributes", args("username", "alice2", "hostname", "%",
                "user_attrs", args("host", "10.0.0.1"))));
        assertThat(whoAmIFrom("127.0.0.1", "db_a", "alice2", "Alice-Pass-2")).isEqualTo("alice2@127.0.0.1");
    }

    @Test
    @Order(5)
    void aPasswordTheServersPolicyRefusesIsABadRequestAndLeavesNoAccount() throws Exception {
        enableRoot(ROOT_PASSWORD);
        try (Connection root = db.connect(null, "root", ROOT_PASSWORD); Statement s = root.createStatement()) {
            s.execute("INSTALL SONAME 'simple_password_check'");
        }
        try {
            assertThatThrownBy(() -> call("create_user", args("users", PythonJson.array()
                    .add(user("weak", "abc", "%")))))
                    .isInstanceOfSatisfying(RemoteError.class, e -> {
                        assertThat(e.excType()).isEqualTo("BadRequest");
                        assertThat(e.getMessage()).contains("policy").doesNotContain("'abc'");
                    });
            assertThat(call("get_user", args("username", "weak", "hostname", "%")).isNull()).isTrue();
            refusedAs("BadRequest", () -> call("change_passwords", args("users", PythonJson.array()
                    .add(PythonJson.object().put("name", "Bob.Smith").put("host", "%").put("password", "abc")))));
            // a password the policy accepts goes through, and works
            call("create_user", args("users", PythonJson.array().add(user("strong", "Str0ng-Pass!x", "%", "db_b"))));
            assertThat(whoAmI("db_b", "strong", "Str0ng-Pass!x")).isEqualTo("strong@%");
        } finally {
            try (Connection root = db.connect(null, "root", ROOT_PASSWORD); Statement s = root.createStatement()) {
                s.execute("UNINSTALL SONAME 'simple_password_check'");
            }
        }
    }

    @Test
    @Order(6)
    void deletingAUserEndsItsLogins() throws Exception {
        try (Connection open = db.connect("db_b", "Bob.Smith", "Bob-Pass-2"); Statement s = open.createStatement()) {
            call("delete_user", args("user", user("Bob.Smith", null, "%")));
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThat(errorCode(() -> whoAmI("db_b", "Bob.Smith", "Bob-Pass-2"))).isIn(1045, 1130, 1698);
        assertThat(call("get_user", args("username", "Bob.Smith", "hostname", "%")).isNull()).isTrue();
        // what it created stays
        try (Connection c = db.connect("db_a", "root", ROOT_PASSWORD)) {
            assertThat(MariaDbInstance.rows(c, "SELECT count(*) FROM bobs")).containsExactly("0");
        }
        refusedAs("UserNotFound", () -> call("delete_user", args("user", user("Bob.Smith", null, "%"))));
        refusedAs("BadRequest", () -> call("delete_user", args("user", user("root", null, "%"))));
        // one of two accounts of a name goes, the other stays
        call("delete_user", args("user", user("dave", null, "127.0.0.1")));
        assertThat(names(call("list_users", args("limit", 100)).get(0))).contains("dave@%")
                .doesNotContain("dave@127.0.0.1");
    }

    private void enableRoot(String password) {
        JsonNode root = call("enable_root_with_password", args("root_password", password));
        assertThat(root.get("_name").asText()).isEqualTo("root");
        assertThat(root.get("_host").asText()).isEqualTo("%");
        assertThat(root.get("_password").asText()).isEqualTo(password);
    }

    @Test
    @Order(7)
    void rootIsEnabledWithAGeneratedPasswordAndDisabledAgain() throws Exception {
        JsonNode root = call("enable_root", PythonJson.object());
        String password = root.get("_password").asText();
        assertThat(password).hasSizeGreaterThanOrEqualTo(16).isNotEqualTo(ROOT_PASSWORD);
        assertThat(call("is_root_enabled", PythonJson.object()).asBoolean()).isTrue();
        assertThat(whoAmI(null, "root", password)).isEqualTo("root@%");
        assertThat(errorCode(() -> whoAmI(null, "root", ROOT_PASSWORD))).isEqualTo(1045);
        try (Connection c = db.connect(null, "root", password)) {
            // Trove's root: every privilege, grants included
            assertThat(MariaDbInstance.rows(c, "SHOW GRANTS")).anySatisfy(g -> assertThat(g)
                    .startsWith("GRANT ALL PRIVILEGES ON *.* TO `root`@`%`").endsWith("WITH GRANT OPTION"));
        }
        // root is not a user the user API shows
        assertThat(names(call("list_users", args("limit", 100)).get(0))).noneMatch(n -> n.startsWith("root@"));

        try (Connection open = db.connect(null, "root", password); Statement s = open.createStatement()) {
            call("disable_root", PythonJson.object());
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThat(call("is_root_enabled", PythonJson.object()).asBoolean()).isFalse();
        assertThat(errorCode(() -> whoAmI(null, "root", password))).isIn(1045, 1130, 1698);
        // the agent itself still works without root
        call("create_database", args("databases", PythonJson.array().add(schema("after_root"))));
        assertThat(names(call("list_databases", args("limit", 100)).get(0))).contains("after_root");
    }
}
