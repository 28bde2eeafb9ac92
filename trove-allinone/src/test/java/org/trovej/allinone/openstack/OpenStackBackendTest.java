package org.trovej.allinone.openstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.trovej.allinone.AllInOneApplication;
import org.trovej.allinone.acceptance.OpenStackCli;
import org.trovej.taskmanager.compute.local.GuestAgentJar;
import org.trovej.testsupport.OpenStackAio;

/**
 * The openstack back end end to end, against the real Keystone, Nova (fake driver), Cinder, Neutron and Glance
 * of {@code scripts/openstack-aio}, driven by Debian's real {@code openstack database ...} commands. Only the VM
 * is played: {@link HypervisorStandIn} starts the real guest agent with the files the server was booted with
 * and gives it the server's Cinder volume file as its disk.
 * <p>
 * create → ACTIVE+HEALTHY → resize flavor → resize volume → restart → backup to Swift and restore into a new Nova
 * instance → delete; a flavor beyond Nova's quota, a
 * Cinder quota reached, a server Nova cannot place and a volume Cinder puts into error each end in ERROR with
 * the cloud's reason. After each,
 * Nova, Cinder and Neutron hold nothing of the instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenStackBackendTest {

    private static final String PROJECT = "openstack-e2e";
    private static final Duration BUILD = Duration.ofMinutes(4);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private OpenStackAio aio;
    private Path stateDir;
    private ConfigurableApplicationContext trovej;
    private HypervisorStandIn hypervisor;
    private OpenStackCli cli;
    private String base;
    private String instanceId;
    private final java.util.List<String> created = new java.util.ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        OpenStackCli.requireInstalled();
        aio = OpenStackAio.start();
        stateDir = Files.createTempDirectory("trovej-openstack",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        var trove = aio.trove();
        trovej = AllInOneApplication.application().run(
                "--server.port=0",
                "--management.server.port=0",
                "--trovej.state-dir=" + stateDir.resolve("state"),
                "--trovej.embedded.postgres-port=0",
                "--trovej.embedded.amqp-port=0",
                "--trovej.compute.backend=openstack",
                "--trovej.openstack.auth-url=" + aio.authUrl(),
                "--trovej.openstack.username=" + trove.get("OS_USERNAME"),
                "--trovej.openstack.password=" + trove.get("OS_PASSWORD"),
                "--trovej.openstack.project=" + trove.get("OS_PROJECT_NAME"),
                "--trovej.openstack.management-networks=trovej-mgmt",
                "--trovej.openstack.guest-report-interval=2s",
                "--trovej.backup.encryption-key=OpenStack-Backup-Key-1");
        int port = ((ServletWebServerApplicationContext) trovej).getWebServer().getPort();
        base = "http://127.0.0.1:" + port + "/v1.0/" + PROJECT;
        cli = new OpenStackCli(base);
        // the operator registers the datastore version and its guest image (by tags) through the mgmt API
        HttpResponse<String> registered = send("POST", "http://127.0.0.1:" + port + "/v1.0/admin/mgmt/datastore-versions",
                """
                {"version": {"name": "15", "datastore_name": "postgresql", "datastore_manager": "postgresql",
                 "image_tags": ["trove", "trovej"], "active": true, "default": true}}""", true);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(202);
        hypervisor = new HypervisorStandIn(aio.cloud(), stateDir.resolve("hypervisor"),
                new GuestAgentJar(null, stateDir.resolve("jar")).require(), aio.dataDir().resolve("data/cinder"));
        hypervisor.start();
    }

    @AfterAll
    void stop() {
        // whatever a failed test left: deleted through TroveJ, which must leave nothing in the cloud
        for (String id : created) {
            try {
                if (send("GET", base + "/instances/" + id, null, false).statusCode() == 200) {
                    send("DELETE", base + "/instances/" + id, null, false);
                    awaitGone(id);
                }
            } catch (AssertionError | RuntimeException e) {
                System.err.println("could not delete " + id + ": " + e);
            }
        }
        if (hypervisor != null) {
            hypervisor.close();
        }
        if (trovej != null) {
            trovej.close();
        }
        if (stateDir != null) {
            org.springframework.util.FileSystemUtils.deleteRecursively(stateDir.toFile());
        }
    }

    @Test
    @Order(1)
    void flavorsComeFromNova() {
        JsonNode flavors = cli.run("database", "flavor", "list", "-f", "json").ok().json();
        assertThat(flavors.findValuesAsText("Name")).contains("ds512M", "ds1G");
        assertThat(flavors.findValuesAsText("Name")).doesNotContain("m1.tiny"); // TroveJ's local catalog
    }

    @Test
    @Order(2)
    void createReachesActiveHealthyOnNovaCinderAndNeutron() throws Exception {
        JsonNode created = cli.run("database", "instance", "create", "os-db", "--flavor", "ds512M", "--size", "1",
                "--datastore", "postgresql", "--datastore-version", "15", "--databases", "appdb",
                "--users", "appuser:App-Pass-1", "-f", "json").ok().json();
        instanceId = created.get("id").asText();
        this.created.add(instanceId);
        JsonNode shown = awaitStatus(instanceId, "ACTIVE", "HEALTHY");
        assertThat(shown.path("addresses").toString()).contains("10.77.0.");

        assertThat(serversNamed("os-db")).singleElement().satisfies(s -> {
            assertThat(s.path("status").asText()).isEqualTo("ACTIVE");
            assertThat(s.path("flavor").path("original_name").asText()).isEqualTo("ds512M");
        });
        JsonNode volume = volumeOf(instanceId);
        assertThat(volume.path("size").asInt()).isEqualTo(1);
        assertThat(volume.path("status").asText()).isEqualTo("in-use");
        assertThat(aio.cloud().portsNamed("trove-" + instanceId)).hasSize(1);
        assertThat(aio.cloud().securityGroupsNamed("SecGroup_" + instanceId)).singleElement()
                .satisfies(g -> assertThat(g.path("security_group_rules").findValuesAsText("port_range_min"))
                        .contains("5432"));

        try (Connection c = connect("appuser", "App-Pass-1");
             ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("appuser");
            c.createStatement().execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before resizes')");
        }
        String mounts = Files.readString(Path.of("/proc/mounts"));
        HypervisorStandIn.Guest guest = hypervisor.guestOf(instanceId).orElseThrow();
        assertThat(mounts).as("the guest formatted and mounted its Cinder volume")
                .contains(guest.loopDevice() + " " + guest.dataDir() + " ext4");
        assertThat(Files.getFileStore(guest.dataDir()).getTotalSpace()).as("a 1 GB volume")
                .isBetween(900_000_000L, 1_100_000_000L);
    }

    @Test
    @Order(3)
    void resizeFlavorGoesThroughNovaResizeAndConfirm() {
        cli.run("database", "instance", "resize", "flavor", instanceId, "ds1G").ok();
        JsonNode resized = awaitShow(instanceId, s -> "ACTIVE".equals(s.path("status").asText())
                && "HEALTHY".equals(s.path("operating_status").asText())
                && "11".equals(s.path("flavor").path("id").asText()));
        assertThat(resized.path("flavor").path("id").asText()).isEqualTo("11");
        assertThat(serversNamed("os-db")).singleElement().satisfies(server -> {
            assertThat(server.path("flavor").path("original_name").asText()).isEqualTo("ds1G");
            assertThat(server.path("status").asText()).isEqualTo("ACTIVE");
        });
    }

    @Test
    @Order(4)
    void resizeVolumeDetachesExtendsAttachesAndGrowsTheFilesystem() throws Exception {
        cli.run("database", "instance", "resize", "volume", instanceId, "2").ok();
        JsonNode grown = awaitShow(instanceId, s -> "ACTIVE".equals(s.path("status").asText())
                && "HEALTHY".equals(s.path("operating_status").asText())
                && s.path("volume").path("size").asInt() == 2);
        assertThat(grown.path("volume").path("size").asInt()).as(grown.toString()).isEqualTo(2);
        JsonNode volume = volumeOf(instanceId);
        assertThat(volume.path("size").asInt()).isEqualTo(2);
        assertThat(volume.path("status").asText()).isEqualTo("in-use");
        HypervisorStandIn.Guest guest = hypervisor.guestOf(instanceId).orElseThrow();
        java.nio.file.FileStore store = Files.getFileStore(guest.dataDir());
        assertThat(store.name()).as("the data dir is the volume's filesystem").isEqualTo(guest.loopDevice());
        assertThat(store.getTotalSpace()).as("the filesystem on the volume grew to about 2 GB")
                .isBetween(1_800_000_000L, 2_200_000_000L);
        try (Connection c = connect("appuser", "App-Pass-1");
             ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("before resizes");
        }
    }

    @Test
    @Order(5)
    void restart() throws Exception {
        java.sql.Timestamp started = postmasterStart();
        cli.run("database", "instance", "restart", instanceId).ok();
        awaitShow(instanceId, s -> "REBOOT".equals(s.path("status").asText())
                || "HEALTHY".equals(s.path("operating_status").asText()));
        awaitStatus(instanceId, "ACTIVE", "HEALTHY");
        assertThat(postmasterStart()).as("PostgreSQL was restarted").isAfter(started);
    }

    @Test
    @Order(6)
    void guestLogsArePublishedIntoSwift() {
        cli.run("database", "log", "set", instanceId, "general", "--enable").ok();
        JsonNode published = cli.run("database", "log", "set", instanceId, "general", "--publish", "-f", "json").ok()
                .json();
        assertThat(published.path("status").asText()).as(published.toString()).isEqualTo("Published");
        assertThat(published.path("published").asLong()).isPositive();
        // the guest wrote Trove's layout into the cloud's Swift (the service project's account: the API runs noauth)
        assertThat(swiftObjects("database_logs")).contains(instanceId + "/postgresql-general_metafile")
                .anyMatch(name -> name.startsWith(instanceId + "/postgresql-general/log-"));
        cli.run("database", "log", "set", instanceId, "general", "--discard").ok();
        assertThat(swiftObjects("database_logs")).noneMatch(name -> name.startsWith(instanceId + "/"));
        cli.run("database", "log", "set", instanceId, "general", "--disable").ok();
    }

    @Test
    @Order(7)
    void rebuildGoesThroughNovaAndKeepsTheData() throws Exception {
        java.util.Map<String, String> asAdmin = new java.util.HashMap<>(aio.admin());
        String image = org.trovej.testsupport.CliCommand.run(java.util.List.of("openstack", "image", "list", "--tag",
                "trovej", "-f", "json"), asAdmin).ok().json().get(0).path("ID").asText();
        HttpResponse<String> rebuild = send("POST", base.replace("/" + PROJECT, "/admin") + "/mgmt/instances/"
                + instanceId + "/action", "{\"rebuild\": {\"image_id\": \"" + image + "\"}}", true);
        assertThat(rebuild.statusCode()).as(rebuild.body()).isEqualTo(202);
        awaitShow(instanceId, s -> "BUILD".equals(s.path("status").asText())
                || "HEALTHY".equals(s.path("operating_status").asText()));
        awaitStatus(instanceId, "ACTIVE", "HEALTHY");
        assertThat(serversNamed("os-db")).singleElement().satisfies(server ->
                assertThat(server.path("image").path("id").asText()).isEqualTo(image));
        try (Connection c = connect("appuser", "App-Pass-1");
             ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("before resizes");
        }
    }

    @Test
    @Order(8)
    void aBackupLandsInSwiftAndRestoresIntoANewNovaInstance() throws Exception {
        String backupId = cli.run("database", "backup", "create", "os-backup", "-i", instanceId, "-f", "json").ok()
                .json().get("id").asText();
        JsonNode backup = awaitBackup(backupId);
        assertThat(backup.path("status").asText()).as(backup.toString()).isEqualTo("COMPLETED");
        String location = backup.path("locationRef").asText();
        assertThat(location).as("stored in Swift, in the service project's account (the API runs noauth)")
                .startsWith(aio.swiftUrl() + "/v1/AUTH_").contains("/database_backups/" + backupId + ".tar.zst.enc");
        assertThat(swiftObjects("database_backups")).contains(backupId + ".tar.zst.enc");
        awaitStatus(instanceId, "ACTIVE", "HEALTHY");

        JsonNode created = cli.run("database", "instance", "create", "os-restored", "--flavor", "ds512M", "--size",
                "1", "--datastore", "postgresql", "--datastore-version", "15", "--backup", backupId, "-f", "json")
                .ok().json();
        String restored = created.get("id").asText();
        this.created.add(restored);
        awaitStatus(restored, "ACTIVE", "HEALTHY");
        assertThat(serversNamed("os-restored")).as("a Nova server of its own").hasSize(1);
        try (Connection c = connect(restored, "appuser", "App-Pass-1");
             ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("before resizes");
            assertThat(rs.next()).isFalse();
        }
        cli.run("database", "instance", "delete", restored).ok();
        awaitGone(restored);
        assertNothingLeft(restored);

        cli.run("database", "backup", "delete", backupId).ok();
        long deadline = System.nanoTime() + BUILD.toNanos();
        while (cli.run("database", "backup", "show", backupId).exitCode() == 0 && System.nanoTime() < deadline) {
            sleep(500);
        }
        assertThat(swiftObjects("database_backups")).noneMatch(name -> name.startsWith(backupId));
    }

    private JsonNode awaitBackup(String backupId) {
        long deadline = System.nanoTime() + BUILD.toNanos();
        JsonNode shown = cli.run("database", "backup", "show", backupId, "-f", "json").ok().json();
        while (!"COMPLETED".equals(shown.path("status").asText()) && !"FAILED".equals(shown.path("status").asText())
                && System.nanoTime() < deadline) {
            sleep(1000);
            shown = cli.run("database", "backup", "show", backupId, "-f", "json").ok().json();
        }
        return shown;
    }

    /** The names in a container of the service project's Swift account, listed by the real CLI as TroveJ's user. */
    private java.util.List<String> swiftObjects(String container) {
        java.util.Map<String, String> asTrove = new java.util.HashMap<>(aio.admin());
        asTrove.putAll(aio.trove());
        JsonNode listed = org.trovej.testsupport.CliCommand.run(java.util.List.of("openstack", "object", "list",
                container, "-f", "json"), asTrove).ok().json();
        return listed.findValuesAsText("Name");
    }

    private java.sql.Timestamp postmasterStart() throws Exception {
        try (Connection c = connect("appuser", "App-Pass-1");
             ResultSet rs = c.createStatement().executeQuery("SELECT pg_postmaster_start_time()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    @Test
    @Order(9)
    void deleteLeavesNothingInTheCloud() {
        cli.run("database", "instance", "delete", instanceId).ok();
        awaitGone(instanceId);
        assertNothingLeft(instanceId);
        assertThat(serversNamed("os-db")).isEmpty();
    }

    @Test
    @Order(10)
    void aFlavorBeyondNovasQuotaEndsInErrorWithNovasReason() {
        failedBuildWithFlavor(900000, 1, "Quota exceeded for ram");
    }

    @Test
    @Order(11)
    void aCinderQuotaReachedEndsInErrorWithCindersReason() {
        int held = aio.openstack("volume", "list", "--project", "service", "-f", "json").json().size();
        aio.openstack("quota", "set", "--volumes", Integer.toString(held), "service");
        try {
            failedBuild("ds512M", "exceeded for quota 'volumes'");
        } finally {
            aio.openstack("quota", "set", "--volumes", "10", "service");
        }
    }

    @Test
    @Order(12)
    void aServerNovaCannotPlaceEndsInErrorWithNovasFault() {
        // more disk than the fake hypervisor has (disk is not a quota): the scheduler finds no host
        failedBuildWithFlavor(64, 90000000, "No valid host was found");
    }

    @Test
    @Order(13)
    void aVolumeCinderPutsIntoErrorEndsInErrorWithCindersMessage() {
        failedBuild("ds512M", "Could not find any available weighted backend", "--volume-type",
                aio.volumeTypeWithoutBackend());
    }

    @Test
    @Order(14)
    void mariaDbRunsOnItsCinderVolumeToo() throws Exception {
        HttpResponse<String> registered = send("POST", base.replace("/" + PROJECT, "/admin")
                + "/mgmt/datastore-versions", """
                {"version": {"name": "10.11", "datastore_name": "mariadb", "datastore_manager": "mariadb",
                 "image_tags": ["trove", "trovej"], "active": true, "default": true}}""", true);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(202);
        JsonNode created = cli.run("database", "instance", "create", "os-maria", "--flavor", "ds1G", "--size", "1",
                "--datastore", "mariadb", "--datastore-version", "10.11", "--databases", "shop",
                "--users", "clerk:Clerk-Pass-1", "-f", "json").ok().json();
        String id = created.get("id").asText();
        this.created.add(id);
        awaitStatus(id, "ACTIVE", "HEALTHY");
        HypervisorStandIn.Guest guest = hypervisor.guestOf(id).orElseThrow();
        assertThat(Files.getFileStore(guest.dataDir()).name()).isEqualTo(guest.loopDevice());
        Process client = new ProcessBuilder("mariadb", "--protocol=TCP", "-h", guest.address(), "-u", "clerk",
                "-pClerk-Pass-1", "-N", "-e", "SELECT CONCAT(CURRENT_USER(), ' ', COUNT(*)) FROM "
                + "information_schema.schemata WHERE schema_name = 'shop'").redirectErrorStream(true).start();
        String out = new String(client.getInputStream().readAllBytes()).strip();
        assertThat(client.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("clerk@% 1");
        cli.run("database", "instance", "delete", id).ok();
        awaitGone(id);
        assertNothingLeft(id);
    }

    /**
     * A flavor made for the test, given by id: a flavor made a moment ago is not in the API's cached list yet,
     * but is found in Nova by id.
     */
    private void failedBuildWithFlavor(int ramMb, int diskGb, String reason) {
        String flavor = UUID.randomUUID().toString();
        aio.openstack("flavor", "create", "--id", flavor, "--ram", Integer.toString(ramMb), "--vcpus", "1",
                "--disk", Integer.toString(diskGb), "trovej-e2e-" + flavor.substring(0, 6));
        try {
            failedBuild(flavor, reason);
        } finally {
            aio.openstack("flavor", "delete", flavor);
        }
    }

    /** Creates with {@code flavor}, expects ERROR with {@code reason} in the fault, nothing left; deletes it. */
    private void failedBuild(String flavor, String reason, String... options) {
        String name = "os-fail-" + UUID.randomUUID().toString().substring(0, 6);
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("database", "instance",
                "create", name, "--flavor", flavor, "--size", "1", "--datastore", "postgresql", "--datastore-version",
                "15", "-f", "json"));
        command.addAll(java.util.List.of(options));
        JsonNode created = cli.run(command.toArray(String[]::new)).ok().json();
        String id = created.get("id").asText();
        this.created.add(id);
        JsonNode failed = awaitShow(id, s -> "ERROR".equals(s.path("status").asText()));
        assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("ERROR");
        assertThat(failed.path("fault").path("message").asText()).as(failed.toString()).contains(reason);
        assertNothingLeft(id);
        cli.run("database", "instance", "delete", id).ok();
        awaitGone(id);
        assertNothingLeft(id);
    }

    /** Checked through the cloud's own APIs as its admin (the CLI would cost 2-3 s a call). */
    private void assertNothingLeft(String id) {
        assertThat(aio.cloud().volumesNamed("trove-" + id)).as("Cinder volumes of " + id).isEmpty();
        assertThat(aio.cloud().portsNamed("trove-" + id)).as("Neutron ports of " + id).isEmpty();
        assertThat(aio.cloud().securityGroupsNamed("SecGroup_" + id)).as("security group of " + id).isEmpty();
        assertThat(aio.cloud().servers().toString()).as("Nova servers of " + id).doesNotContain(id);
        assertThat(hypervisor.guestOf(id)).as("the guest of " + id).isEmpty();
    }

    private JsonNode volumeOf(String id) {
        JsonNode volumes = aio.cloud().volumesNamed("trove-" + id);
        assertThat(volumes).hasSize(1);
        return volumes.get(0);
    }

    private java.util.List<JsonNode> serversNamed(String name) {
        java.util.List<JsonNode> named = new java.util.ArrayList<>();
        aio.cloud().servers().forEach(s -> {
            if (name.equals(s.path("name").asText())) {
                named.add(s);
            }
        });
        return named;
    }

    private Connection connect(String user, String password) throws Exception {
        return connect(instanceId, user, password);
    }

    private Connection connect(String id, String user, String password) throws Exception {
        String address = hypervisor.guestOf(id).orElseThrow().address();
        return DriverManager.getConnection("jdbc:postgresql://" + address + ":5432/appdb", user, password);
    }

    private JsonNode awaitStatus(String id, String status, String operatingStatus) {
        JsonNode shown = awaitShow(id, s -> status.equals(s.path("status").asText())
                && operatingStatus.equals(s.path("operating_status").asText())
                || "ERROR".equals(s.path("status").asText()));
        assertThat(shown.path("status").asText()).as(shown + " (hypervisor: " + hypervisor.lastError() + ")")
                .isEqualTo(status);
        assertThat(shown.path("operating_status").asText()).isEqualTo(operatingStatus);
        return shown;
    }

    private JsonNode awaitShow(String id, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + BUILD.toNanos();
        JsonNode shown = show(id);
        while (!done.test(shown) && System.nanoTime() < deadline) {
            sleep(500);
            shown = show(id);
        }
        return shown;
    }

    private void awaitGone(String id) {
        long deadline = System.nanoTime() + BUILD.toNanos();
        while (send("GET", base + "/instances/" + id, null, false).statusCode() != 404) {
            assertThat(System.nanoTime()).as("instance " + id + " still there").isLessThan(deadline);
            sleep(500);
        }
        // the guest goes with the server (the stand-in notices within a second)
        long guestDeadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (hypervisor.guestOf(id).isPresent() && System.nanoTime() < guestDeadline) {
            sleep(250);
        }
    }

    private JsonNode show(String id) {
        HttpResponse<String> response = send("GET", base + "/instances/" + id, null, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return json.readTree(response.body()).path("instance");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> send(String method, String url, String body, boolean admin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (admin) {
            request.header("X-Roles", "admin");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
