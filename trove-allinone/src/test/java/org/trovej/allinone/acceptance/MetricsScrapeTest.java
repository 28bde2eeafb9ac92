package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * Issue 17's metrics as an operator gets them: Debian's Prometheus scrapes the all-in-one's management port while a
 * user creates a PostgreSQL instance, backs it up and lists instances through Debian's client; then Prometheus's
 * own query API shows the flows, heartbeats and their lag, the backup's size and duration, the API's requests by
 * route and status with their histogram, the connection pool and broker, and the new instance's own gauges (its
 * volume's used space too, which {@code instance show} also prints). The
 * actuator answers on loopback only and not on the API's port.
 */
@ExtendWith(SharedAllInOne.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsScrapeTest {

    private static final String PROJECT = "metrics";
    private static final String PROMETHEUS = "/usr/bin/prometheus";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private AllInOneUnderTest trovej;
    private CliInstances instances;
    private Process prometheus;
    private Path prometheusDir;
    private String prometheusUrl;

    @BeforeAll
    void start(AllInOneUnderTest trovej, @TempDir Path dir) throws IOException {
        OpenStackCli.requireInstalled();
        assertThat(Path.of(PROMETHEUS)).as("Debian's prometheus (scripts/ensure-services installs it)").isExecutable();
        this.trovej = trovej;
        OpenStackCli cli = trovej.cli(PROJECT);
        instances = new CliInstances(cli, Duration.ofMinutes(3));
        prometheusDir = dir;
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files: ['%s']
                scrape_configs:
                  - job_name: trovej
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(alertRules(), trovej.managementPort()));
        int port = freePort();
        prometheusUrl = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder(PROMETHEUS, "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    @AfterAll
    void stop() {
        if (prometheus != null) {
            prometheus.destroy();
        }
        if (instances != null) {
            instances.deleteAll();
        }
        if (prometheusDir != null) {
            FileSystemUtils.deleteRecursively(prometheusDir.resolve("data").toFile());
        }
    }

    @Test
    void prometheusScrapesFlowsHeartbeatsBackupsRequestsAndInstances() throws Exception {
        OpenStackCli cli = trovej.cli(PROJECT);
        String id = instances.create("scraped", "postgresql");
        instances.awaitActive(id);
        CliBackups backups = new CliBackups(cli, Duration.ofMinutes(3));
        backups.awaitCompleted(backups.create(id, "scraped-backup"));
        for (int i = 0; i < 5; i++) {
            cli.run("database", "instance", "list", "-f", "json").ok();
        }

        // the actuator is the management port's, on loopback; the public API does not serve it
        assertThat(get("http://127.0.0.1:" + trovej.managementPort() + "/actuator/health/readiness").body())
                .contains("\"status\":\"UP\"");
        HttpResponse<String> onApi = get("http://127.0.0.1:" + trovej.port() + "/actuator/prometheus");
        assertThat(onApi.statusCode()).isEqualTo(404);
        assertThat(onApi.body()).contains("itemNotFound");

        // wait for a scrape that saw the finished backup and this instance's gauges (refreshed every 2 s)
        awaitValue("trovej_instance_status{instance_id=\"" + id + "\",status=\"ACTIVE\",health=\"HEALTHY\"}",
                Duration.ofSeconds(30));
        assertThat(value("up{job=\"trovej\"}")).isEqualTo(1);
        // the volume's used space, from the guest's heartbeat: a fresh cluster's files, within its 1 GB volume
        awaitValue("trovej_instance_volume_used_bytes{instance_id=\"" + id + "\"}", Duration.ofSeconds(60));
        assertThat(value("trovej_instance_volume_used_bytes{instance_id=\"" + id + "\"}")).isBetween(1e6, 1073741824.0);
        assertThat(value("trovej_instance_volume_size_bytes{instance_id=\"" + id + "\"}")).isEqualTo(1073741824.0);
        // and the same figure in Debian's client's show (troveclient prints volume.used as volume_used)
        assertThat(instances.show(id).path("volume_used").asDouble()).isBetween(0.01, 1.0);
        assertThat(value("sum(trovej_flows_started_total{flow=\"create\"})")).isGreaterThanOrEqualTo(1);
        // a flow handed over ends when its monitor next looks (the backup shows COMPLETED a poll before that)
        awaitValue("sum(trovej_flows_ended_total{flow=\"create\",outcome=\"succeeded\"}) >= 1",
                Duration.ofSeconds(30));
        awaitValue("sum(trovej_flows_ended_total{flow=\"create_backup\",outcome=\"succeeded\"}) >= 1",
                Duration.ofSeconds(30));
        assertThat(value("trovej_conductor_heartbeats_total{outcome=\"applied\"}")).isGreaterThan(0);
        // a heartbeat reaches the database within moments of being sent, also on a busy machine
        // each figure from one expression, so that a scrape landing between two queries cannot split it
        assertThat(value("trovej_conductor_heartbeat_lag_seconds_count")).isGreaterThan(0);
        assertThat(value("sum(trovej_conductor_heartbeat_lag_seconds_sum) "
                + "/ sum(trovej_conductor_heartbeat_lag_seconds_count)")).isBetween(0.0, 10.0);
        assertThat(value("sum(trovej_conductor_heartbeat_lag_seconds_bucket{le=\"+Inf\"}) "
                + "- sum(trovej_conductor_heartbeat_lag_seconds_count)")).isEqualTo(0);
        assertThat(value("trovej_instance_heartbeat_age_seconds{instance_id=\"" + id + "\"}")).isBetween(0.0, 30.0);
        assertThat(value("trovej_instances{status=\"ACTIVE\"}")).isGreaterThanOrEqualTo(1);

        assertThat(value("sum(trovej_backups_finished_total{state=\"COMPLETED\",kind=\"full\"})"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value("sum(trovej_backup_size_bytes_count)")).isGreaterThanOrEqualTo(1);
        // a PostgreSQL base backup of a fresh cluster: some MB, far below the 1 GB volume
        assertThat(value("sum(trovej_backup_size_bytes_sum) / sum(trovej_backup_size_bytes_count)"))
                .isBetween(1e5, 1e9);
        assertThat(value("max(trovej_backup_duration_seconds_max)")).isBetween(0.01, 180.0);
        awaitValue("trovej_backups{state=\"COMPLETED\"} >= 1", Duration.ofSeconds(30));
        // the backed-up instance ships its WAL (every 2 s on this all-in-one): its window's end stays close to now
        awaitValue("trovej_instance_pitr_lag_seconds{instance_id=\"" + id + "\"} < 60", Duration.ofSeconds(60));

        String route = "uri=\"/v1.0/{projectId}/instances\",method=\"GET\",status=\"200\"";
        // the last of the five lists may be a scrape away
        awaitValue("sum(http_server_requests_seconds_count{" + route + "}) >= 5", Duration.ofSeconds(30));
        assertThat(value("count(http_server_requests_seconds_bucket{" + route + "})")).isGreaterThan(10);
        double p99 = value("histogram_quantile(0.99, sum by (le) (http_server_requests_seconds_bucket{" + route
                + "}))");
        assertThat(p99).isBetween(0.0, 5.0);
        assertThat(value("sum(http_server_requests_seconds_count{uri=\"/v1.0/{projectId}/backups\","
                + "method=\"POST\",status=\"202\"})")).isGreaterThanOrEqualTo(1);

        // the documented alerts are loaded and evaluate against these series without error
        JsonNode groups = JSON.readTree(get(prometheusUrl + "/api/v1/rules").body()).path("data").path("groups");
        List<String> alerts = new ArrayList<>();
        groups.forEach(g -> g.path("rules").forEach(r -> {
            assertThat(r.path("health").asText()).as(r.toString()).isEqualTo("ok");
            alerts.add(r.path("name").asText());
        }));
        assertThat(alerts).contains("TroveInstancesInError", "TroveGuestSilent", "TroveHeartbeatLag",
                "TroveBackupsFailing", "TroveFlowsFailing", "TroveNotReady", "TroveApiErrors");

        assertThat(value("max(hikaricp_connections_max)")).isGreaterThan(0);
        assertThat(value("trovej_broker_connected")).isEqualTo(1);
        assertThat(value("trovej_flows_running")).isGreaterThanOrEqualTo(0);
    }

    /** docs/prometheus/alerts.yml, the rule file docs/operations.md gives operators. */
    private static Path alertRules() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path rules = dir.resolve("docs/prometheus/alerts.yml");
            if (Files.isRegularFile(rules)) {
                return rules;
            }
        }
        throw new AssertionError("docs/prometheus/alerts.yml not found above " + Path.of("").toAbsolutePath());
    }

    /** The single value of an instant query; fails when the query has none. */
    private double value(String query) throws IOException, InterruptedException {
        JsonNode result = query(query);
        assertThat(result.size()).as("series for " + query + ": " + result).isEqualTo(1);
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private void awaitValue(String query, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode result = query(query);
        while (result.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            result = query(query);
        }
        assertThat(result.size()).as("Prometheus has " + query + " (its log: " + prometheusDir.resolve("prometheus.log")
                + ")").isEqualTo(1);
    }

    private JsonNode query(String query) throws IOException, InterruptedException {
        List<String> errors = new ArrayList<>();
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                HttpResponse<String> answer = get(prometheusUrl + "/api/v1/query?query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8));
                JsonNode body = JSON.readTree(answer.body());
                assertThat(body.path("status").asText()).as(answer.body()).isEqualTo("success");
                return body.path("data").path("result");
            } catch (java.net.ConnectException e) {
                // Prometheus still starting
                errors.add(e.toString());
                Thread.sleep(250);
            }
        }
        throw new AssertionError("Prometheus did not answer on " + prometheusUrl + ": " + errors);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
