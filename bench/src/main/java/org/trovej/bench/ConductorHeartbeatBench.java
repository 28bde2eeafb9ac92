package org.trovej.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import org.flywaydb.core.Flyway;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.trovej.common.crypto.TroveCrypto;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.ConductorGuestSerializer;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.Topics;
import org.trovej.conductor.ConductorApplication;
import org.trovej.conductor.ConductorServer;
import org.trovej.conductor.heartbeat.HeartbeatRecorder;
import org.trovej.service.TroveProperties;
import org.trovej.testsupport.ControlPlaneRows;
import org.trovej.testsupport.TestInfrastructure;

/**
 * A backlog of encrypted heartbeats, as after a conductor outage: the queue is filled first, then the
 * conductor starts and drains it. Prints heartbeats/s and how many were lost, and checks in the database
 * that every instance ended with the status and {@code sent} of its newest heartbeat.
 */
final class ConductorHeartbeatBench {

    private ConductorHeartbeatBench() {
    }

    static void run(int messages, int instances) throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        System.out.printf("conductor heartbeat benchmark: %d encrypted heartbeats for %d instances (%s PostgreSQL and "
                + "AMQP broker)%n", messages, instances, infra.mode());
        Flyway.configure().dataSource(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword())
                .locations("classpath:db/migration").load().migrate();

        String instKeyKey = new TroveProperties(null, null).keys().instRpcKeyEncrKey();
        ControlPlaneRows rows = new ControlPlaneRows(
                new DriverManagerDataSource(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword()));
        String version = rows.datastoreVersion("postgresql", "16");
        List<String> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            String id = UUID.randomUUID().toString();
            String key = TroveCrypto.newInstanceKey();
            rows.instance(id, "bench", version, TroveCrypto.encrypt(key, instKeyKey));
            ids.add(id);
            keys.add(key);
        }

        Map<String, Double> newestSent = new HashMap<>();
        Map<String, String> newestStatus = new HashMap<>();
        String[] statuses = {"building", "running", "healthy", "healthy", "shutdown", "healthy"};
        long publishStart = System.nanoTime();
        try (RpcTransport transport = RpcTransport.connect(infra.amqpUri(), "trove", "bench-guests",
                Duration.ofSeconds(10))) {
            transport.predeclare(Topics.CONDUCTOR, "0.0.0.0");
            purge(transport);
            RpcClient client = new RpcClient(transport);
            List<RpcClient.Target> guests = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                guests.add(client.target(Topics.CONDUCTOR, "1.0", new ConductorGuestSerializer(keys.get(i), ids.get(i))));
            }
            List<CompletableFuture<Void>> confirms = new ArrayList<>(messages);
            double base = System.currentTimeMillis() / 1000.0;
            for (int n = 0; n < messages; n++) {
                int i = n % instances;
                double sent = base + n * 0.001;
                String status = statuses[(n / instances) % statuses.length];
                ObjectNode args = PythonJson.object();
                args.put("instance_id", ids.get(i));
                args.putObject("payload").put("service_status", status);
                args.put("sent", sent);
                confirms.add(guests.get(i).castAsync(RpcContext.service(), "heartbeat", args));
                newestSent.put(ids.get(i), sent);
                newestStatus.put(ids.get(i), status);
            }
            CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).join();
            System.out.printf("queued:    %d heartbeats, broker-confirmed, in %.1f s (queue depth %d)%n", messages,
                    seconds(publishStart), depth(transport));
        }

        long start = System.nanoTime();
        ConfigurableApplicationContext conductor = new SpringApplication(ConductorApplication.class).run(
                "--spring.datasource.url=" + infra.jdbcUrl(),
                "--spring.datasource.username=" + infra.dbUser(),
                "--spring.datasource.password=" + infra.dbPassword(),
                "--trovej.rpc.amqp-uri=" + infra.amqpUri(),
                "--spring.main.web-application-type=none",
                "--spring.profiles.active=conductor",
                "--trovej.conductor.auto-startup=false");
        double startup = seconds(start);
        HeartbeatRecorder recorder = conductor.getBean(HeartbeatRecorder.class);
        ConductorServer server = conductor.getBean(ConductorServer.class);
        long consuming = System.nanoTime();
        server.start();
        long deadline = consuming + Duration.ofMinutes(5).toNanos();
        while (recorder.appliedCount() + recorder.ignoredCount() < messages && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        double drain = seconds(consuming);
        long recorded = recorder.appliedCount() + recorder.ignoredCount();
        Thread.sleep(500); // let the last acks reach the broker before reading the queue depth
        RpcTransport transport = conductor.getBean(RpcTransport.class);
        long left = depth(transport);
        long handledByServer = server.server().handledCount();
        conductor.close();

        int wrong = 0;
        try (Connection c = infra.openConnection();
             PreparedStatement ps = c.prepareStatement("SELECT instance_id, sent, status_description FROM service_statuses");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                if (newestSent.containsKey(id) && (rs.getDouble(2) != newestSent.get(id)
                        || !rs.getString(3).equals(newestStatus.get(id)))) {
                    wrong++;
                }
            }
        }
        long lost = messages - recorded;
        System.out.printf("conductor: application up in %.1f s; from its first consume, drained the backlog in %.2f s%n",
                startup, drain);
        System.out.printf("RESULT heartbeats/s: %.0f%n", recorded / drain);
        System.out.printf("RESULT messages lost: %d (recorded %d of %d: %d applied, %d ignored as older; "
                        + "server handled %d; %d left in queue)%n", lost, recorded, messages, recorder.appliedCount(),
                recorder.ignoredCount(), handledByServer, left);
        System.out.printf("RESULT instances whose final status/sent is not their newest heartbeat: %d of %d%n", wrong,
                instances);
        System.out.printf("batches: %d (mean %.0f heartbeats per transaction)%n", recorder.batchCount(),
                recorded / (double) Math.max(1, recorder.batchCount()));
        System.out.println("reference: Trove's trove-conductor on this machine, 2 workers: ~210 encrypted heartbeats/s, "
                + "49 lost per worker per 30 s under this backlog; target >= 5,000/s and 0 lost");
    }

    private static long depth(RpcTransport transport) throws Exception {
        try (Channel ch = transport.newChannel()) {
            return ch.queueDeclarePassive(Topics.CONDUCTOR).getMessageCount();
        }
    }

    private static void purge(RpcTransport transport) throws Exception {
        try (Channel ch = transport.newChannel()) {
            ch.queuePurge(Topics.CONDUCTOR);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
