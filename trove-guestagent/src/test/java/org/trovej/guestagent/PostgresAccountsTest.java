package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
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
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.Topics;
import org.trovej.testsupport.TestInfrastructure;

/**
 * Trove's guest API for databases, users, access and root on a real PostgreSQL, driven over encrypted RPC as
 * the control plane drives it, and checked from the outside: every user logs in (or is refused) with the real
 * JDBC driver exactly as its grants say.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresAccountsTest {

    private static final Duration CALL = Duration.ofSeconds(60);

    private final String exchange = "trove_acc_" + UUID.randomUUID().toString().substring(0, 8);
    private Path base;
    private RpcTransport transport;
    private RpcClient client;
    private RecordingConductor conductor;
    private GuestInstance db;

    @BeforeAll
    void setUp() throws Exception {
        base = Files.createTempDirectory("trove-acc-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        transport = RpcTransport.connect(TestInfrastructure.get().amqpUri(), exchange, "accounts-test",
                Duration.ofSeconds(20));
        client = new RpcClient(transport);
        conductor = new RecordingConductor(transport);
        db = new GuestInstance(base, exchange, 2, null, true);
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
        ObjectNode node = PythonJson.object();
        node.put("_name", name);
        node.putNull("_character_set");
        node.putNull("_collate");
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

    private String whoAmI(String database, String user, String password) throws SQLException {
        try (Connection c = db.connect(database, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String sqlState(ThrowableCheck check) {
        try {
            check.run();
        } catch (SQLException e) {
            return e.getSQLState();
        }
        return null;
    }

    private interface ThrowableCheck {
        void run() throws SQLException;
    }

    @Test
    @Order(1)
    void databasesAreCreatedListedInPagesAndDropped() {
        ArrayNode dbs = PythonJson.array();
        for (String name : List.of("db_c", "db_a", "db_b")) {
            dbs.add(schema(name));
        }
        call("create_database", args("databases", dbs));
        JsonNode all = call("list_databases", args("limit", 100, "marker", null, "include_marker", false));
        // the engine's own databases (postgres, templates) are not listed
        assertThat(names(all.get(0))).containsExactly("appdb", "db_a", "db_b", "db_c");
        assertThat(all.get(1).isNull()).isTrue();

        JsonNode first = call("list_databases", args("limit", 2, "marker", null, "include_marker", false));
        assertThat(names(first.get(0))).containsExactly("appdb", "db_a");
        assertThat(first.get(1).asText()).isEqualTo("db_a");
        JsonNode second = call("list_databases", args("limit", 2, "marker", "db_a", "include_marker", false));
        assertThat(names(second.get(0))).containsExactly("db_b", "db_c");
        assertThat(second.get(1).isNull()).isTrue();

        call("delete_database", args("database", schema("db_c")));
        assertThat(names(call("list_databases", args("limit", 100)).get(0))).doesNotContain("db_c");
        assertThatThrownBy(() -> call("delete_database", args("database", schema("db_c"))))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("DatabaseNotFound"));
        assertThatThrownBy(() -> call("delete_database", args("database", schema("postgres"))))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("BadRequest"));
    }

    @Test
    @Order(2)
    void usersLogInToExactlyTheDatabasesTheyWereGranted() throws Exception {
        ArrayNode users = PythonJson.array();
        users.add(user("alice", "Alice-Pass-1", "%", "db_a"));
        users.add(user("Bob.Smith", "Bob-Pass-1", "%"));
        call("create_user", args("users", users));

        assertThat(whoAmI("db_a", "alice", "Alice-Pass-1")).isEqualTo("alice");
        // databases are private: no grant, no login (PUBLIC's CONNECT is revoked at creation)
        assertThat(sqlState(() -> whoAmI("db_b", "alice", "Alice-Pass-1"))).isEqualTo("42501");
        assertThat(sqlState(() -> whoAmI("db_a", "Bob.Smith", "Bob-Pass-1"))).isEqualTo("42501");
        assertThat(sqlState(() -> whoAmI("db_a", "alice", "wrong"))).isEqualTo("28P01");

        JsonNode list = call("list_users", args("limit", 100, "marker", null, "include_marker", false));
        assertThat(names(list.get(0))).containsExactly("Bob.Smith@%", "alice@%", "appuser@%");
        assertThat(list.get(0).get(1).get("_databases").get(0).get("_name").asText()).isEqualTo("db_a");
        assertThat(list.get(0).get(1).get("_password").isNull()).isTrue();
        JsonNode page = call("list_users", args("limit", 1, "marker", "Bob.Smith@%", "include_marker", false));
        assertThat(names(page.get(0))).containsExactly("alice@%");
        assertThat(page.get(1).asText()).isEqualTo("alice@%");

        JsonNode alice = call("get_user", args("username", "alice", "hostname", "%"));
        assertThat(alice.get("_name").asText()).isEqualTo("alice");
        assertThat(call("get_user", args("username", "nobody", "hostname", "%")).isNull()).isTrue();
        assertThat(call("get_user", args("username", "os_admin", "hostname", "%")).isNull()).isTrue();

        assertThatThrownBy(() -> call("create_user", args("users", PythonJson.array()
                .add(user("alice", "x-Pass-1", "%")))))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("UserAlreadyExists"));
        assertThatThrownBy(() -> call("create_user", args("users", PythonJson.array()
                .add(user("carol", "x-Pass-1", "%", "no_such_db")))))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("DatabaseNotFound"));
        assertThat(call("get_user", args("username", "carol", "hostname", "%")).isNull()).isTrue();
        assertThatThrownBy(() -> call("create_user", args("users", PythonJson.array()
                .add(user("postgres", "x-Pass-1", "%")))))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("BadRequest"));
    }

    @Test
    @Order(3)
    void grantAndRevokeChangeWhoGetsIn() throws Exception {
        call("grant_access", args("username", "Bob.Smith", "hostname", "%", "databases", List.of("db_a", "db_b")));
        assertThat(names(call("list_access", args("username", "Bob.Smith", "hostname", "%"))))
                .containsExactly("db_a", "db_b");
        assertThat(whoAmI("db_b", "Bob.Smith", "Bob-Pass-1")).isEqualTo("Bob.Smith");
        try (Connection open = db.connect("db_a", "Bob.Smith", "Bob-Pass-1"); Statement s = open.createStatement()) {
            s.execute("CREATE TABLE bobs (v int)"); // may create in public once granted
            call("revoke_access", args("username", "Bob.Smith", "hostname", "%", "database", "db_a"));
            // the session that was open is ended, and a new one is refused
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThat(sqlState(() -> whoAmI("db_a", "Bob.Smith", "Bob-Pass-1"))).isEqualTo("42501");
        assertThat(whoAmI("db_b", "Bob.Smith", "Bob-Pass-1")).isEqualTo("Bob.Smith");
        assertThatThrownBy(() -> call("revoke_access", args("username", "Bob.Smith", "hostname", "%",
                "database", "db_a")))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("DatabaseNotFound"));
        assertThatThrownBy(() -> call("grant_access", args("username", "nobody", "hostname", "%",
                "databases", List.of("db_a"))))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("UserNotFound"));
    }

    @Test
    @Order(4)
    void renameRehostAndPasswordChangesKeepGrants() throws Exception {
        call("update_attributes", args("username", "alice", "hostname", "%", "user_attrs",
                args("name", "alice2", "password", "Alice-Pass-2")));
        assertThat(whoAmI("db_a", "alice2", "Alice-Pass-2")).isEqualTo("alice2");
        assertThat(sqlState(() -> whoAmI("db_a", "alice", "Alice-Pass-1"))).isEqualTo("28P01");

        // restricted to 127.0.0.1: in from there, refused from any other address
        call("update_attributes", args("username", "alice2", "hostname", "%", "user_attrs",
                args("host", "127.0.0.1")));
        assertThat(call("get_user", args("username", "alice2", "hostname", "127.0.0.1")).get("_host").asText())
                .isEqualTo("127.0.0.1");
        assertThat(whoAmIFrom("127.0.0.1", "db_a", "alice2", "Alice-Pass-2")).isEqualTo("alice2");
        assertThat(sqlStateFrom("127.0.0.2", "db_a", "alice2", "Alice-Pass-2")).isEqualTo("28000");
        assertThat(whoAmIFrom("127.0.0.2", "db_b", "Bob.Smith", "Bob-Pass-1")).isEqualTo("Bob.Smith");

        ObjectNode change = PythonJson.object();
        change.put("name", "Bob.Smith");
        change.put("host", "%");
        change.put("password", "Bob-Pass-2");
        call("change_passwords", args("users", PythonJson.array().add(change)));
        assertThat(whoAmI("db_b", "Bob.Smith", "Bob-Pass-2")).isEqualTo("Bob.Smith");

        assertThatThrownBy(() -> call("update_attributes", args("username", "Bob.Smith", "hostname", "%",
                "user_attrs", args("name", "appuser"))))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("UserAlreadyExists"));
        assertThatThrownBy(() -> call("update_attributes", args("username", "alice2", "hostname", "127.0.0.1",
                "user_attrs", args("host", "not a host"))))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("BadRequest"));
        assertThat(whoAmIFrom("127.0.0.1", "db_a", "alice2", "Alice-Pass-2")).isEqualTo("alice2");
    }

    @Test
    @Order(5)
    void deletingAUserKeepsWhatItCreated() throws Exception {
        call("grant_access", args("username", "Bob.Smith", "hostname", "%", "databases", List.of("db_a")));
        call("delete_user", args("user", user("Bob.Smith", null, "%")));
        assertThat(sqlState(() -> whoAmI("db_a", "Bob.Smith", "Bob-Pass-2"))).isEqualTo("28P01");
        assertThat(call("get_user", args("username", "Bob.Smith", "hostname", "%")).isNull()).isTrue();
        enableRoot("Root-Pass-1");
        try (Connection c = db.connect("db_a", "root", "Root-Pass-1"); Statement s = c.createStatement()) {
            assertThat(s.executeQuery("SELECT count(*) FROM bobs").next()).isTrue();
        }
        assertThatThrownBy(() -> call("delete_user", args("user", user("Bob.Smith", null, "%"))))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("UserNotFound"));
    }

    private void enableRoot(String password) {
        JsonNode root = call("enable_root_with_password", args("root_password", password));
        assertThat(root.get("_name").asText()).isEqualTo("root");
        assertThat(root.get("_password").asText()).isEqualTo(password);
    }

    @Test
    @Order(6)
    void rootIsEnabledWithAGeneratedPasswordAndDisabledAgain() throws Exception {
        JsonNode root = call("enable_root", PythonJson.object());
        String password = root.get("_password").asText();
        assertThat(password).hasSizeGreaterThanOrEqualTo(16);
        assertThat(call("is_root_enabled", PythonJson.object()).asBoolean()).isTrue();
        assertThat(whoAmI("postgres", "root", password)).isEqualTo("root");
        try (Connection c = db.connect("postgres", "root", password); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, "
                     + "rolbypassrls FROM pg_roles WHERE rolname = 'root'")) {
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= 5; i++) {
                assertThat(rs.getBoolean(i)).as("root attribute %d", i).isTrue();
            }
        }
        assertThat(sqlState(() -> whoAmI("postgres", "postgres", password))).as("postgres never logs in")
                .isIn("28P01", "28000");

        call("disable_root", PythonJson.object());
        assertThat(call("is_root_enabled", PythonJson.object()).asBoolean()).isFalse();
        assertThat(sqlState(() -> whoAmI("postgres", "root", password))).isIn("28P01", "28000");
        // the agent itself still works without root
        call("create_database", args("databases", PythonJson.array().add(schema("after_root"))));
        assertThat(names(call("list_databases", args("limit", 100)).get(0))).contains("after_root");
    }

    private String whoAmIFrom(String source, String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("localSocketAddress", source);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(database), props); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String sqlStateFrom(String source, String database, String user, String password) {
        return sqlState(() -> whoAmIFrom(source, database, user, password));
    }
}
