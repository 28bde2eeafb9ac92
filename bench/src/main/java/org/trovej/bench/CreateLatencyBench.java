package org.trovej.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import org.trovej.allinone.AllInOneApplication;

/**
 * Create → ACTIVE + HEALTHY latency of one PostgreSQL instance on the embedded default, next to the floor
 * measured in the same run with the same binaries: initdb plus the first start of a bare PostgreSQL. Then
 * ten concurrent creates, all must reach ACTIVE. Everything is deleted at the end.
 */
final class CreateLatencyBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CreateLatencyBench() {
    }

    static void run(int concurrent) throws Exception {
        Path state = Files.createTempDirectory("trovej-bench",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        ConfigurableApplicationContext trovej = AllInOneApplication.application().run(
                "--server.port=0", "--management.server.port=0", "--trovej.state-dir=" + state,
                "--trovej.embedded.postgres-port=0", "--trovej.embedded.amqp-port=0",
                "--trovej.local.report-interval=1s", "--trovej.taskmanager.poll-interval=200ms",
                // the concurrent batch alone is the default instance quota: the bench measures time, not quotas
                "--trovej.quota.instances=-1", "--trovej.quota.volumes=-1",
                "--logging.level.root=WARN");
        try {
            String api = "http://127.0.0.1:" + ((ServletWebServerApplicationContext) trovej).getWebServer().getPort()
                    + "/v1.0/bench";
            Path bin = binDir(trovej);
            List<Double> floorRuns = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                floorRuns.add(floorSeconds(bin, state.resolve("floor-" + i)));
            }
            double floor = floorRuns.stream().sorted().toList().get(1);
            System.out.printf("floor (initdb + first start of %s, same run, median of %s): %.2f s%n", bin,
                    floorRuns.stream().map(f -> String.format("%.2f", f)).toList(), floor);

            List<String> ids = new ArrayList<>();
            double cold = timedCreate(api, "latency-cold", ids);
            System.out.printf("RESULT create -> ACTIVE+HEALTHY, first instance on this host (builds the template "
                    + "cluster): %.2f s = %.2f x the floor%n", cold, cold / floor);
            // one create on a shared 2-core machine is noisy: the median of three, each shown
            List<Double> warmRuns = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                warmRuns.add(timedCreate(api, "latency-warm-" + i, ids));
            }
            System.out.printf("next instances: %s s%n", warmRuns.stream().map(w -> String.format("%.2f", w)).toList());
            double warm = warmRuns.stream().sorted().toList().get(1);
            System.out.printf("RESULT create -> ACTIVE+HEALTHY, next instance (median of 3): %.2f s = %.2f x the floor "
                    + "(target <= 1.5x)%n", warm, warm / floor);

            long t1 = System.nanoTime();
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                batch.add(create(api, "concurrent-" + i));
            }
            int active = 0;
            for (String id : batch) {
                if (awaitHealthy(api, id)) {
                    active++;
                }
            }
            ids.addAll(batch);
            System.out.printf("RESULT %d concurrent creates: %d ACTIVE+HEALTHY, all done in %.1f s%n", concurrent,
                    active, (System.nanoTime() - t1) / 1e9);
            for (String id : ids) {
                HTTP.send(HttpRequest.newBuilder(URI.create(api + "/instances/" + id)).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            Thread.sleep(3000);
        } finally {
            trovej.close();
            FileSystemUtils.deleteRecursively(state.toFile());
        }
    }

    private static double timedCreate(String api, String name, List<String> ids) throws Exception {
        long t0 = System.nanoTime();
        String id = create(api, name);
        ids.add(id);
        if (!awaitHealthy(api, id)) {
            throw new IllegalStateException("instance " + name + " did not become healthy");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Path binDir(ConfigurableApplicationContext trovej) {
        for (String v : new String[] {"17", "16", "15", "14", "13"}) {
            Path p = Path.of("/usr/lib/postgresql", v, "bin");
            if (Files.isExecutable(p.resolve("initdb"))) {
                return p;
            }
        }
        throw new IllegalStateException("the floor needs Debian's PostgreSQL binaries (/usr/lib/postgresql/*/bin)");
    }

    /** initdb + pg_ctl start -w of a bare cluster, as the database user, on a free loopback address. */
    private static double floorSeconds(Path bin, Path state) throws Exception {
        Path dir = Files.createDirectories(state.resolve("floor"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            exec(List.of("chown", "postgres", dir.toString()));
        }
        Path data = dir.resolve("data");
        Path pwfile = Files.writeString(dir.resolve("pw"), "floor-Pass-1\n");
        if (root) {
            exec(List.of("chown", "postgres", pwfile.toString()));
        }
        long t0 = System.nanoTime();
        exec(asDbUser(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "scram-sha-256",
                "--pwfile=" + pwfile, "-U", "postgres", "-E", "UTF8")));
        exec(asDbUser(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l",
                dir.resolve("log").toString(), "-o", "-c listen_addresses=127.250.250.250 -c port=5432 "
                        + "-k " + dir, "start")));
        double seconds = (System.nanoTime() - t0) / 1e9;
        exec(asDbUser(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                "-w", "stop")));
        return seconds;
    }

    private static List<String> asDbUser(boolean root, List<String> command) {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        return full;
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }

    private static String create(String api, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/instances"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"instance\": {\"name\": \"" + name + "\", \"flavorRef\": "
                        + "\"d1\", \"volume\": {\"size\": 1}, \"datastore\": {\"type\": \"postgresql\"}, "
                        + "\"databases\": [{\"name\": \"app\"}], \"users\": [{\"name\": \"app\", \"password\": "
                        + "\"App-Pass-1\", \"databases\": [{\"name\": \"app\"}]}]}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("create failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("instance").path("id").asText();
    }

    private static boolean awaitHealthy(String api, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/instances/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode i = JSON.readTree(r.body()).path("instance");
            if ("ACTIVE".equals(i.path("status").asText()) && "HEALTHY".equals(i.path("operating_status").asText())) {
                return true;
            }
            if ("ERROR".equals(i.path("status").asText())) {
                System.out.println("instance " + id + " failed: " + i.path("fault"));
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
