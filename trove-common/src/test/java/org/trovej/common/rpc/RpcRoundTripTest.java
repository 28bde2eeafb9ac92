package org.trovej.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trovej.common.crypto.TroveCrypto;
import org.trovej.common.json.PythonJson;
import org.trovej.testsupport.TestInfrastructure;

/** Our client against our server on the real broker chosen by the test infrastructure. */
class RpcRoundTripTest {

    private static final Duration CALL = Duration.ofSeconds(10);

    private RpcTransport transport;
    private RpcClient client;
    private String topic;
    private final BlockingQueue<String> casts = new LinkedBlockingQueue<>();
    private final java.util.List<RpcServer> servers = new java.util.ArrayList<>();

    @BeforeEach
    void connect() {
        String exchange = "trove_rt_" + UUID.randomUUID().toString().substring(0, 8);
        transport = RpcTransport.connect(TestInfrastructure.get().amqpUri(), exchange, "rt-test",
                Duration.ofSeconds(10));
        client = new RpcClient(transport);
        topic = "guestagent." + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        servers.forEach(RpcServer::close);
        client.close();
        transport.close();
    }

    private RpcEndpoint endpoint() {
        return RpcEndpoint.builder("1.3")
                .sync("echo", (ctx, args) -> {
                    ObjectNode out = PythonJson.object();
                    out.set("value", args.required("value"));
                    out.put("request_id", ctx.requestId());
                    out.put("project_id", ctx.projectId());
                    return out;
                })
                .sync("record", (ctx, args) -> {
                    casts.add(args.text("value"));
                    return null;
                })
                .sync("explode", (ctx, args) -> {
                    throw new IllegalStateException("boom");
                })
                .build();
    }

    /** A cast whose failure the server's options call passing (a database away) comes back until it works. */
    @Test
    void aCastFailingForAPassingReasonIsRetriedNotDropped() throws Exception {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        RpcEndpoint flaky = RpcEndpoint.builder("1.0")
                .sync("record", (ctx, args) -> {
                    if (attempts.incrementAndGet() < 3) {
                        throw new java.io.UncheckedIOException(new java.io.IOException("database away"));
                    }
                    casts.add(args.text("value"));
                    return null;
                })
                .build();
        RpcServer server = new RpcServer(transport, topic, null, RpcSerializer.plain(), flaky,
                RpcServer.Options.defaults().retryingLater(t -> t instanceof java.io.UncheckedIOException)).start();
        servers.add(server);
        client.target(topic, "1.0", RpcSerializer.plain()).cast(RpcContext.service(), "record", args("kept"));
        assertThat(casts.poll(20, TimeUnit.SECONDS)).isEqualTo("kept");
        assertThat(attempts.get()).isEqualTo(3);
    }

    private RpcServer serve(RpcSerializer serializer) {
        RpcServer server = new RpcServer(transport, topic, "host1", serializer, endpoint(),
                RpcServer.Options.defaults()).start();
        servers.add(server);
        return server;
    }

    private static ObjectNode args(String value) {
        ObjectNode a = PythonJson.object();
        a.put("value", value);
        return a;
    }

    @Test
    void callReturnsTheResultAndCarriesTheContext() {
        serve(RpcSerializer.plain());
        RpcContext ctx = RpcContext.user("u1", "p1", false);
        JsonNode result = client.target(topic, "1.0", RpcSerializer.plain()).call(ctx, "echo", args("hi"), CALL);
        assertThat(result.get("value").asText()).isEqualTo("hi");
        assertThat(result.get("request_id").asText()).isEqualTo(ctx.requestId());
        assertThat(result.get("project_id").asText()).isEqualTo("p1");
    }

    @Test
    void encryptedCallAndCastWithTheInstanceKey() throws Exception {
        String key = TroveCrypto.newInstanceKey();
        serve(new SecureSerializer(key));
        RpcClient.Target target = client.target(topic, "1.3", new SecureSerializer(key));
        JsonNode result = target.call(RpcContext.user("u", "p", false), "echo", args("s3cret"), CALL);
        assertThat(result.get("value").asText()).isEqualTo("s3cret");
        target.cast(RpcContext.service(), "record", args("cast-1"));
        assertThat(casts.poll(10, TimeUnit.SECONDS)).isEqualTo("cast-1");
    }

    @Test
    void encryptedMessagesDoNotShowArgumentsOrContextOnTheWire() throws Exception {
        String key = TroveCrypto.newInstanceKey();
        RpcContext ctx = RpcContext.user("u", "p", false).with("auth_token", "tok-123");
        byte[] body = OsloCodec.encodeRequest("create_user", args("pa55word"), "1.0", ctx,
                new SecureSerializer(key), null, null);
        String wire = new String(body, StandardCharsets.UTF_8);
        assertThat(wire).doesNotContain("pa55word").doesNotContain("tok-123").contains("_context_context");
    }

    @Test
    void unknownMethodAndBadVersionGetOsloFailures() {
        serve(RpcSerializer.plain());
        RpcClient.Target target = client.target(topic, "1.0", RpcSerializer.plain());
        assertThatThrownBy(() -> target.call(RpcContext.service(), "no_such", args("x"), CALL))
                .isInstanceOfSatisfying(RemoteError.class, e -> {
                    assertThat(e.excType()).isEqualTo("NoSuchMethod");
                    assertThat(e.module()).isEqualTo("oslo_messaging.rpc.dispatcher");
                    assertThat(e.getMessage()).contains("Endpoint does not support RPC method no_such");
                });
        assertThatThrownBy(() -> target.version("2.0").call(RpcContext.service(), "echo", args("x"), CALL))
                .isInstanceOfSatisfying(RemoteError.class, e ->
                        assertThat(e.excType()).isEqualTo("UnsupportedVersion"));
        assertThatThrownBy(() -> target.version("1.4").call(RpcContext.service(), "echo", args("x"), CALL))
                .isInstanceOfSatisfying(RemoteError.class, e ->
                        assertThat(e.excType()).isEqualTo("UnsupportedVersion"));
        assertThatThrownBy(() -> target.call(RpcContext.service(), "_private", args("x"), CALL))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("NoSuchMethod"));
        assertThatThrownBy(() -> target.call(RpcContext.service(), "echo", PythonJson.object(), CALL))
                .isInstanceOfSatisfying(RemoteError.class, e -> {
                    assertThat(e.excType()).isEqualTo("TypeError");
                    assertThat(e.getMessage()).contains("missing 1 required positional argument: 'value'");
                });
        assertThatThrownBy(() -> target.call(RpcContext.service(), "explode", args("x"), CALL))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.getMessage()).contains("boom"));
    }

    @Test
    void undecryptableArgumentIsAnErrorReplyForACallAndADropForACast() throws Exception {
        String key = TroveCrypto.newInstanceKey();
        serve(new SecureSerializer(key));
        RpcClient.Target wrongKey = client.target(topic, "1.0", new SecureSerializer(TroveCrypto.newInstanceKey()));
        assertThatThrownBy(() -> wrongKey.call(RpcContext.service(), "echo", args("x"), CALL))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.excType()).isEqualTo("ValueError"));
        wrongKey.cast(RpcContext.service(), "record", args("lost"));
        // the server is still there and serves the next message
        client.target(topic, "1.0", new SecureSerializer(key)).cast(RpcContext.service(), "record", args("kept"));
        assertThat(casts.poll(10, TimeUnit.SECONDS)).isEqualTo("kept");
        assertThat(casts).isEmpty();
    }

    @Test
    void malformedMessagesAndFailingCastsAreDroppedWithoutKillingTheConsumer() throws Exception {
        RpcServer server = serve(RpcSerializer.plain());
        try (Channel raw = transport.newChannel()) {
            raw.basicPublish(transport.exchange(), topic, null, "{this is not json".getBytes(StandardCharsets.UTF_8));
            raw.basicPublish(transport.exchange(), topic, null,
                    "{\"oslo.version\": \"2.0\", \"oslo.message\": \"[1, 2]\"}".getBytes(StandardCharsets.UTF_8));
        }
        RpcClient.Target target = client.target(topic, "1.0", RpcSerializer.plain());
        target.cast(RpcContext.service(), "explode", args("x"));
        target.cast(RpcContext.service(), "record", args("after"));
        assertThat(casts.poll(10, TimeUnit.SECONDS)).isEqualTo("after");
        assertThat(server.droppedCount()).isEqualTo(2);
        assertThat(target.call(RpcContext.service(), "echo", args("still"), CALL).get("value").asText())
                .isEqualTo("still");
        assertThat(queueDepth(topic)).isZero();
    }

    @Test
    void callToATopicNobodyServesTimesOut() {
        RpcClient.Target target = client.target("nobody." + UUID.randomUUID(), "1.0", RpcSerializer.plain());
        long start = System.nanoTime();
        assertThatThrownBy(() -> target.call(RpcContext.service(), "echo", args("x"), Duration.ofSeconds(2)))
                .isInstanceOf(RpcTimeoutException.class)
                .hasMessageContaining("echo");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1900),
                Duration.ofSeconds(6));
    }

    @Test
    void aCastToAPredeclaredGuestQueueWaitsForTheGuest() throws Exception {
        transport.predeclare(topic, null);
        client.target(topic, "1.1", RpcSerializer.plain()).cast(RpcContext.service(), "record", args("prepare"));
        assertThat(queueDepth(topic)).isEqualTo(1);
        serve(RpcSerializer.plain());
        assertThat(casts.poll(10, TimeUnit.SECONDS)).isEqualTo("prepare");
    }

    @Test
    void aMessageIsAckedOnlyAfterItsMethodCompleted() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<JsonNode> never = new CompletableFuture<>();
        RpcEndpoint slow = RpcEndpoint.builder("1.0")
                .async("record", (ctx, args) -> {
                    entered.countDown();
                    return never; // still working when its process dies
                }).build();
        RpcTransport doomed = RpcTransport.connect(TestInfrastructure.get().amqpUri(), transport.exchange(),
                "doomed", Duration.ofSeconds(10));
        new RpcServer(doomed, topic, null, RpcSerializer.plain(), slow, RpcServer.Options.defaults()).start();
        client.target(topic, "1.0", RpcSerializer.plain()).cast(RpcContext.service(), "record", args("survivor"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        doomed.connection().abort(); // the process "dies" with the message in hand, unacked

        serve(RpcSerializer.plain());
        assertThat(casts.poll(10, TimeUnit.SECONDS)).isEqualTo("survivor");
    }

    @Test
    void concurrentCallsAreMatchedToTheirReplies() {
        serve(RpcSerializer.plain());
        RpcClient.Target target = client.target(topic, "1.0", RpcSerializer.plain());
        List<CompletableFuture<JsonNode>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(target.callAsync(RpcContext.service(), "echo", args("n" + i), CALL));
        }
        for (int i = 0; i < 50; i++) {
            assertThat(calls.get(i).join().get("value").asText()).isEqualTo("n" + i);
        }
    }

    private int queueDepth(String queue) throws Exception {
        try (Channel ch = transport.newChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        }
    }
}
