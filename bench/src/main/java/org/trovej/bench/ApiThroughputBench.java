package org.trovej.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.flywaydb.core.Flyway;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.trovej.testsupport.ControlPlaneRows;
import org.trovej.testsupport.TestInfrastructure;

/**
 * API throughput with 1,000 instances in one project: GET /instances (first page) and GET /instances/{id}
 * at 1, 8 and 32 concurrent connections; prints req/s, p50 and p99. Each run is bounded in time and count
 * and only talks to 127.0.0.1.
 *
 * <p>{@code noauth} (default) or {@code keystone}: with keystone, scripts/keystone's Keystone is started (or found
 * running), the API validates tokens with it, and every request carries alpha-user's token in project alpha; the
 * number of validations that reached Keystone is printed (one: the cache answers the rest).
 */
final class ApiThroughputBench {

    private static final String NOAUTH_PROJECT = "bench-project";

    private ApiThroughputBench() {
    }

    static void run(int instances, Duration perRun, String auth) throws Exception {
        List<String> authArgs = new ArrayList<>();
        String token = null;
        String project = NOAUTH_PROJECT;
        if ("keystone".equals(auth)) {
            org.trovej.testsupport.KeystoneFixture keystone = org.trovej.testsupport.KeystoneFixture.start();
            org.trovej.testsupport.KeystoneFixture.Token alpha = keystone.token("alpha-user");
            token = alpha.value();
            project = alpha.projectId();
            org.trovej.testsupport.KeystoneFixture.User service = keystone.user("trove");
            authArgs.addAll(List.of("--trovej.auth.strategy=keystone", "--trovej.keystone.auth-url=" + keystone.authUrl(),
                    "--trovej.keystone.username=" + service.name(), "--trovej.keystone.password=" + service.password(),
                    "--trovej.keystone.project-name=" + service.project()));
        } else if ("noauth".equals(auth)) {
            authArgs.add("--trovej.auth.strategy=noauth");
        } else {
            throw new IllegalArgumentException("auth must be noauth or keystone, not " + auth);
        }
        final String project0 = project;
        TestInfrastructure infra = TestInfrastructure.get();
        Flyway.configure().dataSource(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword())
                .locations("classpath:db/migration").load().migrate();
        ControlPlaneRows rows = new ControlPlaneRows(
                new DriverManagerDataSource(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword()));
        String version = rows.datastoreVersion("postgresql", "16");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            String id = UUID.randomUUID().toString();
            rows.instance(id, project0, version, null);
            rows.execute("UPDATE instances SET task_id = 1, server_status = 'ACTIVE', "
                    + "addresses = CAST(? AS jsonb) WHERE id = ?",
                    "[{\"address\": \"127.1." + (i / 250) + "." + (i % 250 + 2) + "\", \"type\": \"private\", "
                            + "\"network\": \"local\"}]", id);
            rows.execute("UPDATE service_statuses SET status_id = 33, status_description = 'healthy' "
                    + "WHERE instance_id = ?", id);
            ids.add(id);
        }
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + infra.jdbcUrl(),
                "--spring.datasource.username=" + infra.dbUser(),
                "--spring.datasource.password=" + infra.dbPassword(),
                "--trovej.rpc.amqp-uri=" + infra.amqpUri(),
                "--server.port=0",
                "--management.server.port=0",
                "--spring.profiles.active=api",
                "--logging.level.root=WARN"));
        args.addAll(authArgs);
        ConfigurableApplicationContext api = new SpringApplication(org.trovej.api.ApiApplication.class)
                .run(args.toArray(String[]::new));
        int port = Integer.parseInt(api.getEnvironment().getProperty("local.server.port"));
        String base = "http://127.0.0.1:" + port + "/v1.0/" + project;
        System.out.printf("API throughput: %d instances in project %s, API on 127.0.0.1:%d (%s PostgreSQL), auth %s%n",
                instances, project, port, infra.mode(), auth);
        String[] headers = token == null ? new String[] {"Accept", "application/json"}
                : new String[] {"Accept", "application/json", "X-Auth-Token", token};
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(40)).build();
        // warm up the JIT and the connection pool
        load(client, headers, () -> base + "/instances", 4, Duration.ofSeconds(3));
        load(client, headers, () -> base + "/instances/" + ids.get(0), 4, Duration.ofSeconds(2));
        boolean wrk = WrkLoad.available();
        System.out.println("load generator: " + (wrk ? "wrk (a second process)" : "the JDK HTTP client in this JVM "
                + "(install Debian's wrk for figures without the generator's own cost)"));
        String root = "http://127.0.0.1:" + port;
        String prefix = "/v1.0/" + project;
        List<String> showPaths = ids.stream().map(id -> prefix + "/instances/" + id).toList();
        for (int connections : new int[] {1, 8, 32}) {
            if (wrk) {
                report("list GET /instances", connections,
                        WrkLoad.run(root, List.of(prefix + "/instances"), headers, connections, perRun));
                report("show GET /instances/{id}", connections,
                        WrkLoad.run(root, showPaths, headers, connections, perRun));
                continue;
            }
            report("list GET /instances", connections,
                    load(client, headers, () -> base + "/instances", connections, perRun));
            report("show GET /instances/{id}", connections,
                    load(client, headers, () -> base + "/instances/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())),
                            connections, perRun));
        }
        System.out.println("reference: Trove 18 on this machine: list 2.2 req/s at 1 connection (p50 ~450 ms), "
                + "1.6 req/s at 32; show 30-60 req/s. Target: >= 50x those (list >= 110 req/s, show >= 1,500 req/s)");
        if (api.getBean(org.trovej.api.auth.AuthStrategy.class)
                instanceof org.trovej.api.auth.KeystoneAuthStrategy keystoneAuth) {
            System.out.printf("RESULT keystone validations during the whole run: %d (service authentications: %d)%n",
                    keystoneAuth.validator().keystone().validations(),
                    keystoneAuth.validator().keystone().serviceAuthentications());
        }
        api.close();
    }

    private record Result(long requests, long errors, double seconds, long[] latenciesMicros) {
    }

    private static Result load(HttpClient client, String[] headers, java.util.function.Supplier<String> url,
                               int connections,
                               Duration duration) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(connections);
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong errors = new AtomicLong();
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            futures.add(workers.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end && n < lat.length) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url.get()))
                            .headers(headers).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                    lat[n++] = (System.nanoTime() - t0) / 1000;
                    if (r.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        workers.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(merged.length, errors.get(), seconds, merged);
    }

    private static void report(String what, int connections, WrkLoad.Figures f) {
        System.out.printf("RESULT %-26s %2d conn: %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%d requests, %d non-2xx)%n",
                what, connections, f.requestsPerSecond(), f.p50Millis(), f.p99Millis(), f.requests(), f.non2xx());
    }

    private static void report(String what, int connections, Result r) {
        long[] l = r.latenciesMicros();
        double p50 = l.length == 0 ? 0 : l[(int) (l.length * 0.50)] / 1000.0;
        double p99 = l.length == 0 ? 0 : l[Math.min(l.length - 1, (int) (l.length * 0.99))] / 1000.0;
        System.out.printf("RESULT %-26s %2d conn: %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%d requests, %d non-200)%n",
                what, connections, r.requests() / r.seconds(), p50, p99, r.requests(), r.errors());
    }
}
