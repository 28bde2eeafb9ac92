package org.trovej.common.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.trovej.common.crypto.TroveCrypto;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.ConductorGuestSerializer;
import org.trovej.common.rpc.ConductorHostSerializer;
import org.trovej.common.rpc.OsloCodec;
import org.trovej.common.rpc.RemoteError;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.common.rpc.RpcFailure;
import org.trovej.common.rpc.RpcSerializer;
import org.trovej.common.rpc.RpcServer;
import org.trovej.common.rpc.RpcTimeoutException;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.testsupport.TestInfrastructure;

/**
 * TroveJ's RPC layer against the real oslo.messaging (Debian python3-oslo.messaging under /usr/bin/python3),
 * on the broker of {@link TestInfrastructure}: oslo clients against our servers, our client against oslo
 * servers, plain and with Trove's secure serializers, the failures both sides report, and the bytes on the wire.
 * <p>
 * Python side: src/test/resources/oslo (oslo_client.py runs a batch of casts/calls, oslo_server.py hosts
 * oslo RPC servers, trove_serializers.py re-implements Trove's SecureSerializer and conductor serializers).
 * One oslo server process and the TroveJ servers are shared by the class; every test uses its own markers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class OsloInteropTest {

    private static final Duration CLIENT_RUN = Duration.ofSeconds(40);
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);
    private static final Duration CALL = Duration.ofSeconds(10);

    /** A Trove-style per-instance key (32 chars of [A-Za-z0-9]). */
    private static final String KEY = TroveCrypto.newInstanceKey();
    private static final String WRONG_KEY = TroveCrypto.newInstanceKey();
    private static final String INSTANCE_ID = UUID.randomUUID().toString();
    private static final String INSTANCE_KEY = TroveCrypto.newInstanceKey();

    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String exchange = "trove_it_" + run;

    // TroveJ servers (topic, server "jsrv")
    private final String jPlain = "it_jplain_" + run;
    private final String jSecure = "it_jsecure_" + run;
    private final String jConductor = "it_jcond_" + run;
    private final String jV2 = "it_jv2_" + run;
    // oslo servers (topic, server "psrv")
    private final String pPlain = "it_pplain_" + run;
    private final String pSecure = "it_psecure_" + run;
    private final String pConductor = "it_pcond_" + run;
    private final String pV2 = "it_pv2_" + run;

    private TestInfrastructure infra;
    private RpcTransport transport;
    private RpcClient client;
    private final List<RpcServer> javaServers = new ArrayList<>();
    private RpcServer javaPlainServer;
    private RpcServer javaSecureServer;
    private OsloPython.OsloServer oslo;
    private final List<AutoCloseable> perTest = new ArrayList<>();

    /** What a TroveJ endpoint method received. */
    record Received(String server, String method, RpcContext context, ObjectNode args) {
        String marker() {
            JsonNode m = args.get("marker");
            return m == null ? null : m.asText();
        }
    }

    private final List<Received> javaReceived = new CopyOnWriteArrayList<>();

    // ------------------------------------------------------------------------------------------------------
    // lifecycle

    @BeforeAll
    void startEverything() {
        OsloPython.requireOslo();
        infra = TestInfrastructure.get();
        transport = RpcTransport.connect(infra.amqpUri(), exchange, "oslo-interop-test", Duration.ofSeconds(20));
        if (!transport.isRabbitMq()) {
            // py-amqp offers only AMQPLAIN, which Qpid refuses, and oslo always sets a call's "expiration",
            // which Qpid reads as an absolute time: real oslo.messaging cannot run against the embedded broker.
            throw new AssertionError("the oslo.messaging interop tests need RabbitMQ, but test infrastructure '"
                    + infra.mode() + "' gave another broker; run them with TROVEJ_TEST_INFRA=local or docker "
                    + "(and not in an execution that forces trovej.test.infra=embedded)");
        }
        client = new RpcClient(transport);

        javaPlainServer = javaServer(jPlain, "plain", RpcSerializer.plain(), "1.3");
        javaSecureServer = javaServer(jSecure, "secure", new SecureSerializer(KEY), "1.3");
        javaServer(jConductor, "conductor",
                new ConductorHostSerializer(id -> INSTANCE_ID.equals(id) ? INSTANCE_KEY : null), "1.0");
        javaServer(jV2, "v2", RpcSerializer.plain(), "2.0");

        oslo = OsloPython.startServer(infra.osloTransportUrl(), exchange, List.of(
                osloServerSpec("plain", pPlain, "1.3", null),
                osloServerSpec("secure", pSecure, "1.3", secure(KEY)),
                osloServerSpec("conductor", pConductor, "1.0", conductorHost()),
                osloServerSpec("v2", pV2, "2.0", null)), Duration.ofSeconds(20));
    }

    @AfterEach
    void closePerTestResources() {
        for (AutoCloseable c : perTest) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        perTest.clear();
    }

    @AfterAll
    void stopEverything() {
        if (oslo != null) {
            oslo.close();
        }
        javaServers.forEach(RpcServer::close);
        if (client != null) {
            client.close();
        }
        if (transport != null) {
            // the private vhost goes with the JVM; on a shared "/" vhost leave nothing of ours behind
            try (Channel ch = transport.newChannel()) {
                for (String topic : List.of(jPlain, jSecure, jConductor, jV2, pPlain, pSecure, pConductor, pV2)) {
                    ch.queueDelete(topic);
                    ch.queueDelete(topic + "." + (topic.startsWith("it_j") ? "jsrv" : "psrv"));
                }
                ch.exchangeDelete(exchange);
            } catch (Exception e) {
                // best effort
            }
            transport.close();
        }
    }

    private RpcServer javaServer(String topic, String name, RpcSerializer serializer, String version) {
        RpcEndpoint endpoint = RpcEndpoint.builder(version)
                .sync("echo", (ctx, args) -> {
                    javaReceived.add(new Received(name, "echo", ctx, args.asObject()));
                    ObjectNode out = PythonJson.object();
                    out.set("args", args.asObject());
                    out.set("ctxt", ctx.toDict());
                    return out;
                })
                .sync("record", (ctx, args) -> {
                    javaReceived.add(new Received(name, "record", ctx, args.asObject()));
                    return null;
                })
                .sync("heartbeat", (ctx, args) -> {
                    javaReceived.add(new Received(name, "heartbeat", ctx, args.asObject()));
                    return null;
                })
                .sync("fail", (ctx, args) -> {
                    String message = args.text("message");
                    String kind = args.optionalText("kind");
                    if (kind == null || kind.equals("ValueError")) {
                        throw new RpcFailure("builtins", "ValueError", message);
                    }
                    throw new IllegalStateException(message);
                })
                .build();
        RpcServer server = new RpcServer(transport, topic, "jsrv", serializer, endpoint,
                RpcServer.Options.defaults()).start();
        javaServers.add(server);
        return server;
    }

    // ------------------------------------------------------------------------------------------------------
    // 1. oslo.messaging client -> TroveJ server

    @Test
    void osloClientCallsAndCastsTroveJServerPlain() {
        ObjectNode ctx = troveContextDict("plain");
        ObjectNode values = mixedValues();
        String marker = marker();
        OsloPython.ClientRun r = osloClient(List.of(
                call("echo", jPlain, "1.3", "echo", values, ctx),
                with(call("echo-server-queue", jPlain, "1.3", "echo", args("marker", marker + "-srv"), ctx),
                        "server", "jsrv"),
                call("echo-no-version", jPlain, null, "echo", args("marker", marker + "-nover"), ctx),
                cast("cast", jPlain, "1.3", "record", withMarker(values, marker), ctx),
                with(cast("cast-server-queue", jPlain, "1.0", "record", args("marker", marker + "-cs"), ctx),
                        "server", "jsrv")));

        JsonNode echoed = r.ok("echo");
        assertSameJson(echoed.get("args"), values, r);
        // the context dict arrives flattened into _context_* and comes back exactly as Python sent it
        assertSameJson(echoed.get("ctxt"), ctx, r);
        assertThat(r.ok("echo-server-queue").path("args").path("marker").asText()).isEqualTo(marker + "-srv");
        assertThat(r.ok("echo-no-version").path("args").path("marker").asText()).isEqualTo(marker + "-nover");
        assertThat(r.ok("cast").isNull()).as(r.describe()).isTrue();

        Received cast = awaitJava("cast " + marker, x -> marker.equals(x.marker()));
        assertThat(cast.server()).isEqualTo("plain");
        assertThat(cast.method()).isEqualTo("record");
        assertSameJson(cast.args(), withMarker(values, marker), r);
        assertThat(cast.context().requestId()).isEqualTo(ctx.get("request_id").asText());
        assertThat(cast.context().projectId()).isEqualTo(ctx.get("project_id").asText());
        assertThat(cast.context().userId()).isEqualTo(ctx.get("user").asText());
        assertThat(cast.context().text("auth_token")).isEqualTo(ctx.get("auth_token").asText());
        assertThat(cast.context().isAdmin()).isFalse();
        Received viaServerQueue = awaitJava("cast " + marker + "-cs", x -> (marker + "-cs").equals(x.marker()));
        assertThat(viaServerQueue.context().requestId()).isEqualTo(ctx.get("request_id").asText());
    }

    @Test
    void osloClientCallsAndCastsTroveJServerEncrypted() {
        ObjectNode ctx = troveContextDict("secure");
        ObjectNode values = mixedValues();
        String marker = marker();
        OsloPython.ClientRun r = osloClient(List.of(
                with(call("echo", jSecure, "1.3", "echo", values, ctx), "serializer", secure(KEY)),
                with(cast("cast", jSecure, "1.3", "record", withMarker(values, marker), ctx),
                        "serializer", secure(KEY)),
                // Trove's serializer also wraps None: an encrypted "null" argument
                with(call("echo-null", jSecure, "1.3", "echo", args("nothing", null), ctx),
                        "serializer", secure(KEY))));

        JsonNode echoed = r.ok("echo");
        // the result came back encrypted and Python's Trove-style serializer opened it
        assertSameJson(echoed.get("args"), values, r);
        assertSameJson(echoed.get("ctxt"), ctx, r);
        assertThat(r.ok("echo-null").get("args").has("nothing")).isTrue();
        assertThat(r.ok("echo-null").get("args").get("nothing").isNull()).isTrue();

        Received cast = awaitJava("encrypted cast " + marker, x -> marker.equals(x.marker()));
        assertThat(cast.server()).isEqualTo("secure");
        assertSameJson(cast.args(), withMarker(values, marker), r);
        assertThat(cast.context().requestId()).isEqualTo(ctx.get("request_id").asText());
        assertThat(cast.context().projectId()).isEqualTo(ctx.get("project_id").asText());
        assertThat(cast.context().get("context")).as("the sealed context must have been opened").isNull();
    }

    @Test
    void osloGuestHeartbeatReachesTroveJConductor() {
        ObjectNode ctx = troveContextDict("guest");
        String marker = marker();
        ObjectNode heartbeat = parse("{\"instance_id\": \"" + INSTANCE_ID + "\", \"payload\": "
                + "{\"service_status\": \"healthy\"}, \"sent\": 1795582467.952439, \"marker\": \"" + marker + "\"}");
        OsloPython.ClientRun r = osloClient(List.of(
                with(cast("heartbeat", jConductor, "1.0", "heartbeat", heartbeat, ctx), "serializer",
                        conductorGuest(INSTANCE_KEY, INSTANCE_ID))));
        assertThat(r.ok("heartbeat").isNull()).as(r.describe()).isTrue();

        Received hb = awaitJava("guest heartbeat", x -> marker.equals(x.marker()));
        assertThat(hb.server()).isEqualTo("conductor");
        assertSameJson(hb.args(), heartbeat, r);
        assertThat(PythonJson.dumps(hb.args().get("sent"))).isEqualTo("1795582467.952439");
        assertThat(hb.context().instanceId()).isEqualTo(INSTANCE_ID);
        assertThat(hb.context().requestId()).isEqualTo(ctx.get("request_id").asText());
    }

    // ------------------------------------------------------------------------------------------------------
    // 2. TroveJ client -> oslo.messaging server

    @Test
    void troveJClientCallsAndCastsOsloServerPlain() {
        RpcContext ctx = RpcContext.user("bob-" + run, "proj-j-" + run, true);
        ObjectNode values = mixedValues();
        String marker = marker();
        RpcClient.Target target = client.target(pPlain, "1.3", RpcSerializer.plain());

        JsonNode echoed = target.call(ctx, "echo", values, CALL);
        assertSameJson(echoed.get("args"), values, null);
        JsonNode seenCtxt = echoed.get("ctxt");
        assertThat(seenCtxt.get("request_id").asText()).isEqualTo(ctx.requestId());
        assertThat(seenCtxt.get("project_id").asText()).isEqualTo(ctx.projectId());
        assertThat(seenCtxt.get("user").asText()).isEqualTo(ctx.userId());
        assertThat(seenCtxt.get("is_admin").asBoolean()).isTrue();
        // oslo adds client_timeout (our _timeout: null) to the dict it hands to the endpoint; the rest is ours
        for (Iterator<String> it = ctx.toDict().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertThat(canon(seenCtxt.get(key))).as("context key " + key).isEqualTo(canon(ctx.get(key)));
        }
        assertThat(seenCtxt.has("client_timeout")).isTrue();
        assertThat(seenCtxt.get("client_timeout").isNull()).isTrue();

        // a lower minor version is accepted by an oslo 1.3 endpoint
        assertThat(target.version("1.0").call(ctx, "echo", args("marker", marker), CALL)
                .path("args").path("marker").asText()).isEqualTo(marker);

        target.cast(ctx, "record", withMarker(values, marker));
        JsonNode event = oslo.await("plain cast", e -> isInvocation(e, "plain", "record", marker), EVENT_WAIT);
        assertSameJson(event.get("args"), withMarker(values, marker), null);
        assertThat(event.path("ctxt").path("request_id").asText()).isEqualTo(ctx.requestId());
        assertThat(event.path("ctxt").path("project_id").asText()).isEqualTo(ctx.projectId());
    }

    @Test
    void troveJClientCallsAndCastsOsloServerEncrypted() {
        RpcContext ctx = RpcContext.user("carol-" + run, "proj-s-" + run, false).with("auth_token", "tok-" + run);
        ObjectNode values = mixedValues();
        String marker = marker();
        RpcClient.Target target = client.target(pSecure, "1.3", new SecureSerializer(KEY));

        JsonNode echoed = target.call(ctx, "echo", values, CALL);
        // the oslo server decrypted every argument and the context, and encrypted its result for us
        assertSameJson(echoed.get("args"), values, null);
        assertSameJson(echoed.get("ctxt"), ctx.toDict(), null);

        target.cast(ctx, "record", withMarker(values, marker));
        JsonNode event = oslo.await("encrypted cast", e -> isInvocation(e, "secure", "record", marker),
                EVENT_WAIT);
        assertSameJson(event.get("args"), withMarker(values, marker), null);
        assertSameJson(event.get("ctxt"), ctx.toDict(), null);
    }

    @Test
    void troveJGuestSerializerHeartbeatReachesOsloConductor() {
        RpcContext ctx = RpcContext.service();
        String marker = marker();
        ObjectNode heartbeat = parse("{\"instance_id\": \"" + INSTANCE_ID + "\", \"payload\": "
                + "{\"service_status\": \"running\"}, \"sent\": 1795582479.4027817, \"marker\": \"" + marker + "\"}");
        client.target(pConductor, "1.0", new ConductorGuestSerializer(INSTANCE_KEY, INSTANCE_ID))
                .cast(ctx, "heartbeat", heartbeat);
        JsonNode event = oslo.await("guest heartbeat", e -> isInvocation(e, "conductor", "heartbeat", marker),
                EVENT_WAIT);
        assertSameJson(event.get("args"), heartbeat, null);
        assertThat(event.path("ctxt").path("instance_id").asText()).isEqualTo(INSTANCE_ID);
        assertThat(event.path("ctxt").path("request_id").asText()).isEqualTo(ctx.requestId());
    }

    @Test
    void castToPredeclaredGuestQueueIsDeliveredToOsloGuestStartedLater() {
        // the task manager's pre-create: declare guestagent.<id>, cast prepare, the guest comes up afterwards
        String guestId = UUID.randomUUID().toString();
        String topic = "guestagent." + guestId + "-" + run;
        String guestKey = TroveCrypto.newInstanceKey();
        transport.predeclare(topic, guestId);
        perTest.add(() -> deleteQueue(topic));
        perTest.add(() -> deleteQueue(topic + "." + guestId));
        RpcContext ctx = RpcContext.user("dave", "proj-" + run, false);
        ObjectNode prepare = parse("{\"packages\": [\"mysql\"], \"databases\": [], \"memory_mb\": 2048, "
                + "\"users\": [{\"_name\": \"u1\", \"_password\": \"p\u00e4ss\"}], \"device_path\": \"/dev/vdb\", "
                + "\"mount_point\": \"/var/lib/mysql\", \"backup_info\": null, \"config_contents\": \"[mysqld]\\n\", "
                + "\"root_password\": null, \"overrides\": {}, \"cluster_config\": null, \"snapshot\": null, "
                + "\"modules\": null, \"ds_version\": \"8.0\"}");
        client.target(topic, "1.1", new SecureSerializer(guestKey)).cast(ctx, "prepare", prepare);

        OsloPython.OsloServer guest = OsloPython.startServer(infra.osloTransportUrl(), exchange, List.of(
                with(osloServerSpec("guest", topic, "1.3", secure(guestKey)), "server", guestId)),
                Duration.ofSeconds(20));
        perTest.add(0, guest); // stop it before its queues are deleted
        JsonNode event = guest.await("prepare", e -> "prepare".equals(e.path("method").asText()), EVENT_WAIT);
        assertSameJson(event.get("args"), prepare, null);
        assertThat(event.path("ctxt").path("request_id").asText()).isEqualTo(ctx.requestId());
        // oslo re-declared our queues with its own flags without a PRECONDITION_FAILED
        assertThat(guest.stderr()).doesNotContain("PRECONDITION_FAILED");
    }

    @Test
    void controlExchangeDeclaredByOsloFirstIsAcceptedByTroveJ() {
        String otherExchange = "trove_it_osfirst_" + run;
        String topic = "it_osfirst_" + run;
        OsloPython.OsloServer first = OsloPython.startServer(infra.osloTransportUrl(), otherExchange,
                List.of(osloServerSpec("first", topic, "1.0", null)), Duration.ofSeconds(20));
        perTest.add(() -> {
            try (Channel ch = transport.newChannel()) {
                ch.queueDelete(topic);
                ch.queueDelete(topic + ".psrv");
                ch.exchangeDelete(otherExchange);
            }
        });
        perTest.add(0, first);
        // our transport declares the same exchange: it must agree with oslo's flags or the broker refuses
        RpcTransport other = RpcTransport.connect(infra.amqpUri(), otherExchange, "oslo-first",
                Duration.ofSeconds(10));
        perTest.add(other);
        RpcClient otherClient = new RpcClient(other);
        perTest.add(0, otherClient);
        String marker = marker();
        JsonNode echoed = otherClient.target(topic, "1.0", RpcSerializer.plain())
                .call(RpcContext.service(), "echo", args("marker", marker), CALL);
        assertThat(echoed.path("args").path("marker").asText()).isEqualTo(marker);
    }

    // ------------------------------------------------------------------------------------------------------
    // 3. failures, compared with what oslo itself answers

    @Test
    void osloClientGetsTheSameFailuresFromTroveJAsFromOslo() {
        ObjectNode ctx = troveContextDict("errors");
        String boom = "boom-" + run;
        List<ObjectNode> ops = new ArrayList<>();
        for (String side : List.of("oslo", "trovej")) {
            String topic = side.equals("oslo") ? pPlain : jPlain;
            String v2 = side.equals("oslo") ? pV2 : jV2;
            ops.add(call(side + ":no-such-method", topic, "1.3", "no_such_method", args(), ctx));
            ops.add(call(side + ":major-2.0", topic, "2.0", "echo", args(), ctx));
            ops.add(call(side + ":minor-1.4", topic, "1.4", "echo", args(), ctx));
            ops.add(call(side + ":minor-1.2", topic, "1.2", "echo", args(), ctx));
            ops.add(call(side + ":no-version", topic, null, "echo", args(), ctx));
            ops.add(call(side + ":no-such-method-2.0", topic, "2.0", "no_such_method", args(), ctx));
            ops.add(call(side + ":private", topic, "1.3", "_private", args(), ctx));
            ops.add(call(side + ":value-error", topic, "1.3", "fail", args("message", boom), ctx));
            ops.add(call(side + ":missing-arg", topic, "1.3", "fail", args(), ctx));
            ops.add(with(call(side + ":namespace", topic, "1.3", "echo", args(), ctx), "namespace", "other_ns"));
            ops.add(call(side + ":v2-endpoint-no-version", v2, null, "echo", args(), ctx));
            ops.add(call(side + ":v2-endpoint-2.0", v2, "2.0", "echo", args(), ctx));
        }
        OsloPython.ClientRun r = osloClient(ops);

        // what oslo itself answers (the reference)...
        assertRemote(r.error("oslo:no-such-method"), "NoSuchMethod",
                "Endpoint does not support RPC method no_such_method");
        assertRemote(r.error("oslo:major-2.0"), "UnsupportedVersion",
                "Endpoint does not support RPC version 2.0. Attempted method: echo");
        assertRemote(r.error("oslo:minor-1.4"), "UnsupportedVersion",
                "Endpoint does not support RPC version 1.4. Attempted method: echo");
        r.ok("oslo:minor-1.2");
        r.ok("oslo:no-version");
        assertRemote(r.error("oslo:no-such-method-2.0"), "UnsupportedVersion",
                "Endpoint does not support RPC version 2.0. Attempted method: no_such_method");
        assertRemote(r.error("oslo:private"), "NoSuchMethod", "Endpoint does not support RPC method _private");
        // builtins exceptions are re-raised as themselves by the oslo client
        assertThat(r.error("oslo:value-error").path("type").asText()).isEqualTo("ValueError");
        assertThat(r.error("oslo:value-error").path("module").asText()).isEqualTo("builtins");
        assertThat(r.error("oslo:value-error").path("first_line").asText()).isEqualTo(boom);
        assertThat(r.error("oslo:missing-arg").path("type").asText()).isEqualTo("TypeError");
        assertThat(r.error("oslo:missing-arg").path("first_line").asText())
                .endsWith("fail() missing 1 required positional argument: 'message'");
        assertRemote(r.error("oslo:namespace"), "UnsupportedVersion",
                "Endpoint does not support RPC version 1.3. Attempted method: echo");
        assertRemote(r.error("oslo:v2-endpoint-no-version"), "UnsupportedVersion",
                "Endpoint does not support RPC version 1.0. Attempted method: echo");
        r.ok("oslo:v2-endpoint-2.0");

        // ...and TroveJ must answer the same way
        List<String> mismatches = new ArrayList<>();
        for (String probe : List.of("no-such-method", "major-2.0", "minor-1.4", "minor-1.2", "no-version",
                "no-such-method-2.0", "private", "value-error", "namespace", "v2-endpoint-no-version",
                "v2-endpoint-2.0")) {
            String theirs = outcome(r.get("oslo:" + probe));
            String mine = outcome(r.get("trovej:" + probe));
            if (!mine.equals(theirs)) {
                mismatches.add(probe + ":\n    oslo:   " + theirs + "\n    TroveJ: " + mine);
            }
        }
        assertThat(mismatches).as("TroveJ answers differently from oslo").isEmpty();
        // TypeError for a missing argument (Python's text names the bound method: "Endpoint.fail()")
        JsonNode missing = r.error("trovej:missing-arg");
        assertThat(missing.path("type").asText()).isEqualTo("TypeError");
        assertThat(missing.path("module").asText()).isEqualTo("builtins");
        assertThat(missing.path("first_line").asText())
                .endsWith("fail() missing 1 required positional argument: 'message'");
    }

    @Test
    void troveJClientGetsTheSameFailuresFromOsloAsFromTroveJ() {
        RpcContext ctx = RpcContext.user("erin", "proj-" + run, false);
        String boom = "boom-" + run;
        for (String[] side : new String[][] {{"oslo", pPlain}, {"trovej", jPlain}}) {
            RpcClient.Target target = client.target(side[1], "1.3", RpcSerializer.plain());
            String who = side[0];

            RemoteError noSuch = remoteError(() -> target.call(ctx, "no_such_method", args(), CALL));
            assertThat(noSuch.excType()).as(who).isEqualTo("NoSuchMethod");
            assertThat(noSuch.module()).as(who).isEqualTo("oslo_messaging.rpc.dispatcher");
            assertThat(noSuch.getMessage()).as(who)
                    .isEqualTo("Remote error: NoSuchMethod Endpoint does not support RPC method no_such_method");
            assertThat(noSuch.traceback()).as(who).isNotEmpty();
            assertThat(String.join("", noSuch.traceback())).as(who).contains("NoSuchMethod");

            RemoteError major = remoteError(() -> target.version("2.0").call(ctx, "echo", args(), CALL));
            assertThat(major.excType()).as(who).isEqualTo("UnsupportedVersion");
            assertThat(major.module()).as(who).isEqualTo("oslo_messaging.rpc.dispatcher");
            assertThat(major.getMessage()).as(who).isEqualTo("Remote error: UnsupportedVersion Endpoint does not "
                    + "support RPC version 2.0. Attempted method: echo");

            RemoteError minor = remoteError(() -> target.version("1.4").call(ctx, "echo", args(), CALL));
            assertThat(minor.excType()).as(who).isEqualTo("UnsupportedVersion");

            RemoteError privateMethod = remoteError(() -> target.call(ctx, "_private", args(), CALL));
            assertThat(privateMethod.excType()).as(who).isEqualTo("NoSuchMethod");
            assertThat(privateMethod.getMessage()).as(who)
                    .isEqualTo("Remote error: NoSuchMethod Endpoint does not support RPC method _private");

            RemoteError valueError = remoteError(() -> target.call(ctx, "fail", args("message", boom), CALL));
            assertThat(valueError.excType()).as(who).isEqualTo("ValueError");
            assertThat(valueError.module()).as(who).isEqualTo("builtins");
            assertThat(valueError.getMessage()).as(who).isEqualTo("Remote error: ValueError " + boom);

            RemoteError missing = remoteError(() -> target.call(ctx, "fail", args(), CALL));
            assertThat(missing.excType()).as(who).isEqualTo("TypeError");
            assertThat(missing.module()).as(who).isEqualTo("builtins");
            assertThat(missing.getMessage()).as(who)
                    .endsWith("fail() missing 1 required positional argument: 'message'");
        }
        // an application exception keeps its own class and module name
        RemoteError osloApp = remoteError(() -> client.target(pPlain, "1.3", RpcSerializer.plain())
                .call(ctx, "fail", args("message", boom, "kind", "other"), CALL));
        assertThat(osloApp.excType()).isEqualTo("InteropFailure");
        assertThat(osloApp.module()).isEqualTo("__main__");
        assertThat(osloApp.getMessage()).isEqualTo("Remote error: InteropFailure " + boom);
    }

    @Test
    void wrongKeyCallGetsAnErrorReplyAndWrongKeyCastIsDropped() {
        ObjectNode ctx = troveContextDict("wrongkey");
        String marker = marker();
        long handledBefore = javaSecureServer.handledCount();
        OsloPython.ClientRun r = osloClient(List.of(
                // context sealed with the right key, argument with the wrong one
                with(call("wrong-arg-call", jSecure, "1.3", "echo", args("marker", marker + "-call"), ctx),
                        "serializer", secure(KEY, WRONG_KEY)),
                // everything sealed with the wrong key
                with(call("wrong-ctx-call", jSecure, "1.3", "echo", args("marker", marker + "-ctx"), ctx),
                        "serializer", secure(WRONG_KEY)),
                with(cast("wrong-arg-cast", jSecure, "1.3", "record", args("marker", marker + "-cast"), ctx),
                        "serializer", secure(KEY, WRONG_KEY)),
                with(cast("wrong-ctx-cast", jSecure, "1.3", "record", args("marker", marker + "-cast2"), ctx),
                        "serializer", secure(WRONG_KEY)),
                with(call("good-call", jSecure, "1.3", "echo", args("marker", marker + "-good"), ctx),
                        "serializer", secure(KEY)),
                // the same wrong-key call against oslo with Trove's serializer, for comparison
                with(call("oslo-wrong-arg-call", pSecure, "1.3", "echo", args("marker", marker + "-oslo"), ctx),
                        "serializer", secure(KEY, WRONG_KEY))));

        for (String id : List.of("wrong-arg-call", "wrong-ctx-call")) {
            JsonNode error = r.error(id);
            // a prompt error reply (no hang until the 10 s timeout): builtins.ValueError, re-raised as such
            assertThat(error.path("timeout").asBoolean()).as(id + "\n" + r.describe()).isFalse();
            assertThat(r.elapsed(id)).as(id).isLessThan(5.0);
            assertThat(error.path("type").asText()).as(id).isEqualTo("ValueError");
            assertThat(error.path("module").asText()).as(id).isEqualTo("builtins");
            assertThat(error.path("first_line").asText()).as(id).contains("does not decrypt with this key");
        }
        assertThat(r.ok("good-call").path("args").path("marker").asText()).isEqualTo(marker + "-good");

        // the bad casts were consumed (and logged), never handed to the endpoint
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (javaSecureServer.handledCount() < handledBefore + 5 && System.nanoTime() < deadline) {
            OsloPython.sleep(20);
        }
        assertThat(javaSecureServer.handledCount()).isGreaterThanOrEqualTo(handledBefore + 5);
        assertThat(javaReceived).noneMatch(x -> x.marker() != null && x.marker().startsWith(marker + "-cast"));

        // Trove's own SecureSerializer falls back to the raw value: the method gets the ciphertext as the argument
        String passedThrough = opened(r.ok("oslo-wrong-arg-call"), KEY).path("args").path("marker").asText();
        assertThat(passedThrough).isNotEqualTo(marker + "-oslo");
        assertThat(TroveCrypto.decrypt(passedThrough, WRONG_KEY)).isEqualTo("\"" + marker + "-oslo\"");
    }

    @Test
    void malformedMessagesAreDroppedAndServersKeepServing() throws Exception {
        List<byte[]> bodies = List.of(
                "not json at all".getBytes(StandardCharsets.UTF_8),
                "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{broken\"}".getBytes(StandardCharsets.UTF_8),
                "{\"oslo.version\": \"2.0\", \"oslo.message\": \"[]\"}".getBytes(StandardCharsets.UTF_8),
                "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"args\\\": {}}\"}"
                        .getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff, (byte) 0xfe, 0, 'x', '{'},
                "[1, 2]".getBytes(StandardCharsets.UTF_8),
                "{\"oslo.version\": \"3.0\", \"oslo.message\": \"{}\"}".getBytes(StandardCharsets.UTF_8));
        long droppedBefore = javaPlainServer.droppedCount();
        try (Channel ch = transport.newChannel()) {
            for (byte[] body : bodies) {
                ch.basicPublish(exchange, jPlain, kombuProperties(null), body);
                ch.basicPublish(exchange, pPlain, kombuProperties(null), body);
            }
        }
        RpcContext ctx = RpcContext.service();
        String marker = marker();
        assertThat(client.target(jPlain, "1.3", RpcSerializer.plain()).call(ctx, "echo", args("marker", marker),
                CALL).path("args").path("marker").asText()).isEqualTo(marker);
        assertThat(client.target(pPlain, "1.3", RpcSerializer.plain()).call(ctx, "echo", args("marker", marker),
                CALL).path("args").path("marker").asText()).isEqualTo(marker);
        assertThat(javaPlainServer.droppedCount() - droppedBefore).isEqualTo(bodies.size());
        try (Channel ch = transport.newChannel()) {
            assertThat(ch.queueDeclarePassive(jPlain).getMessageCount()).as("nothing requeued").isZero();
        }
        // oslo does the same: logs "Failed to process message ... skipping it." and carries on
        assertThat(oslo.isAlive()).isTrue();
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (!oslo.stderr().contains("skipping it") && System.nanoTime() < deadline) {
            OsloPython.sleep(20);
        }
        assertThat(oslo.stderr()).contains("skipping it");
    }

    @Test
    void plaintextPeerValueThatLooksLikeCiphertextIsRefusedByTroveJButPassedThroughByTrove() {
        // a peer without a key (secure messaging off on its side) sends plain values; a sha256 hex digest is
        // 64 characters of valid base64 = 48 bytes = IV + 2 AES blocks
        String sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        ObjectNode ctx = troveContextDict("plainpeer");
        OsloPython.ClientRun r = osloClient(List.of(
                call("trovej", jSecure, "1.3", "echo", args("checksum", sha256, "name", "db1"), ctx),
                call("trovej-short", jSecure, "1.3", "echo", args("checksum", "d41d8cd98f00b204e9800998ecf8427e"),
                        ctx),
                call("oslo", pSecure, "1.3", "echo", args("checksum", sha256, "name", "db1"), ctx)));
        // (both secure servers encrypt their result; the keyless client gets it sealed)
        // Trove falls back to the raw value for anything it cannot decrypt
        assertThat(opened(r.ok("oslo"), KEY).path("args").path("checksum").asText()).isEqualTo(sha256);
        // an md5 hex digest (24 bytes of base64) is not taken for ciphertext by TroveJ either
        assertThat(opened(r.ok("trovej-short"), KEY).path("args").path("checksum").asText())
                .isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        // TroveJ deliberately refuses ciphertext-shaped text it cannot open (SecureSerializer javadoc)
        JsonNode error = r.error("trovej");
        assertThat(error.path("type").asText()).isEqualTo("ValueError");
        assertThat(error.path("first_line").asText()).contains("does not decrypt with this key");
    }

    // ------------------------------------------------------------------------------------------------------
    // 4. timeouts

    @Test
    void callToATopicNobodyListensOnTimesOut() {
        RpcClient.Target nobody = client.target("it_nobody_" + run, "1.0", RpcSerializer.plain());
        long start = System.nanoTime();
        assertThatThrownBy(() -> nobody.call(RpcContext.service(), "echo", args(), Duration.ofMillis(1500)))
                .isInstanceOf(RpcTimeoutException.class);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).isBetween(1.4, 4.0);
    }

    @Test
    void lateReplyFromSlowOsloServerIsIgnoredAndTheNextCallGetsItsOwnReply() {
        RpcClient.Target slow = client.target(pPlain, "1.3", RpcSerializer.plain());
        RpcContext ctx = RpcContext.service();
        long start = System.nanoTime();
        assertThatThrownBy(() -> slow.call(ctx, "sleep", args("seconds", 2.0), Duration.ofSeconds(1)))
                .isInstanceOf(RpcTimeoutException.class);
        assertThat((System.nanoTime() - start) / 1e9).isBetween(0.9, 3.0);
        // pending while the late {"slept": 2.0} reply arrives on the same reply queue
        JsonNode reply = slow.call(ctx, "sleep", args("seconds", 1.5), CALL);
        assertThat(PythonJson.dumps(reply)).isEqualTo("{\"slept\": 1.5}");
    }

    // ------------------------------------------------------------------------------------------------------
    // 5. the bytes on the wire

    @Test
    void ourCastsAndCallsAreByteForByteWhatOsloSends() throws Exception {
        String topic = "it_wire_" + run;
        transport.predeclare(topic, null); // a queue nobody consumes: we read the raw messages from it
        perTest.add(() -> deleteQueue(topic));
        RpcContext ctx = RpcContext.user("frank", "proj-" + run, false).with("auth_token", "t\u00f6ken");
        ObjectNode values = mixedValues();

        Capture capture = new Capture(topic); // the calls expire after 1 s: take them off the queue at once
        perTest.add(0, capture);
        OsloPython.ClientRun r = osloClient(List.of(
                cast("cast", topic, "1.0", "heartbeat", values, ctx.toDict()),
                with(call("call", topic, "1.3", "get_info", values, ctx.toDict()), "timeout", 1)));
        assertThat(r.error("call").path("timeout").asBoolean()).as(r.describe()).isTrue();
        RpcClient.Target ours = client.target(topic, null, RpcSerializer.plain());
        ours.version("1.0").cast(ctx, "heartbeat", values);
        ours.version("1.3").callAsync(ctx, "get_info", values, Duration.ofSeconds(1));

        List<GetResponse> got = capture.await(4);
        GetResponse osloCast = got.get(0);
        GetResponse osloCall = got.get(1);
        GetResponse ourCast = got.get(2);
        GetResponse ourCall = got.get(3);

        assertThat(masked(ourCast.getBody())).isEqualTo(masked(osloCast.getBody()));
        assertThat(masked(ourCall.getBody())).isEqualTo(masked(osloCall.getBody()));
        assertSameProperties(ourCast.getProps(), osloCast.getProps());
        assertSameProperties(ourCall.getProps(), osloCall.getProps());
        assertThat(osloCall.getProps().getExpiration()).isEqualTo("1000");
        assertThat(ourCall.getProps().getExpiration()).isEqualTo("1000");
        assertThat(osloCast.getProps().getExpiration()).isNull();
        assertThat(ourCast.getProps().getExpiration()).isNull();
    }

    @Test
    void ourEncryptedMessagesSealTheSameJsonTextAsOslo() throws Exception {
        String topic = "it_wire_sec_" + run;
        transport.predeclare(topic, null);
        perTest.add(() -> deleteQueue(topic));
        RpcContext ctx = RpcContext.user("gina", "proj-" + run, true);
        ObjectNode values = mixedValues();
        OsloPython.ClientRun r = osloClient(List.of(
                with(cast("cast", topic, "1.3", "create_backup", values, ctx.toDict()), "serializer", secure(KEY))));
        r.ok("cast");
        client.target(topic, "1.3", new SecureSerializer(KEY)).cast(ctx, "create_backup", values);
        List<GetResponse> got = drain(topic, 2);
        ObjectNode theirs = inner(got.get(0).getBody());
        ObjectNode mine = inner(got.get(1).getBody());

        assertThat(fieldNames(mine)).isEqualTo(fieldNames(theirs));
        assertThat(fieldNames(mine)).containsExactly("method", "args", "version", "_unique_id", "_context_context");
        assertThat(fieldNames(mine.get("args"))).isEqualTo(fieldNames(theirs.get("args")));
        for (Iterator<String> it = theirs.get("args").fieldNames(); it.hasNext(); ) {
            String arg = it.next();
            assertThat(TroveCrypto.decrypt(mine.get("args").get(arg).asText(), KEY)).as("plaintext of " + arg)
                    .isEqualTo(TroveCrypto.decrypt(theirs.get("args").get(arg).asText(), KEY));
        }
        assertThat(TroveCrypto.decrypt(mine.get("_context_context").asText(), KEY))
                .isEqualTo(TroveCrypto.decrypt(theirs.get("_context_context").asText(), KEY));
    }

    @Test
    void ourRepliesAreShapedLikeOslosReplies() throws Exception {
        String replyQueue = "reply_" + OsloCodec.newId();
        try (Channel ch = transport.newChannel()) {
            ch.queueDeclare(replyQueue, false, false, false, Map.of("x-expires", 1_800_000));
        }
        perTest.add(() -> deleteQueue(replyQueue));
        RpcContext ctx = RpcContext.user("hank", "proj-" + run, false);
        ObjectNode values = mixedValues();
        String[][] cases = {{"ok", "echo"}, {"fail", "no_such_method"}};
        // the same raw call to the oslo server and to ours, replies caught on our own reply queue
        for (String topic : List.of(pPlain, jPlain)) {
            for (String[] c : cases) {
                byte[] body = OsloCodec.encodeRequest(c[1], values, "1.3", ctx, RpcSerializer.plain(),
                        topic + "-" + c[0], replyQueue);
                transport.publisher().publish(exchange, topic, kombuProperties(10_000L), body, CALL);
            }
        }
        List<GetResponse> got = drain(replyQueue, 4);
        Map<String, GetResponse> byMsgId = new TreeMap<>();
        for (GetResponse g : got) {
            byMsgId.put(inner(g.getBody()).get("_msg_id").asText(), g);
        }
        for (String[] c : cases) {
            GetResponse theirs = byMsgId.get(pPlain + "-" + c[0]);
            GetResponse mine = byMsgId.get(jPlain + "-" + c[0]);
            assertThat(theirs).as("oslo reply " + c[0] + " in " + byMsgId.keySet()).isNotNull();
            assertThat(mine).as("TroveJ reply " + c[0] + " in " + byMsgId.keySet()).isNotNull();
            ObjectNode t = inner(theirs.getBody());
            ObjectNode m = inner(mine.getBody());
            assertThat(fieldNames(m)).as(c[0]).isEqualTo(fieldNames(t));
            assertThat(fieldNames(m)).containsExactly("result", "failure", "ending", "_msg_id", "_unique_id");
            assertThat(m.get("ending")).isEqualTo(t.get("ending"));
            assertSameProperties(mine.getProps(), theirs.getProps());
            if (c[0].equals("ok")) {
                assertSameJson(m.get("result").get("args"), t.get("result").get("args"), null);
                assertThat(m.get("failure").isNull()).isTrue();
                assertThat(t.get("failure").isNull()).isTrue();
            } else {
                assertThat(m.get("result").isNull()).isTrue();
                assertThat(t.get("result").isNull()).isTrue();
                // failure is a JSON *string* in both
                assertThat(m.get("failure").isTextual()).isTrue();
                assertThat(t.get("failure").isTextual()).isTrue();
                ObjectNode tf = (ObjectNode) PythonJson.parse(t.get("failure").asText());
                ObjectNode mf = (ObjectNode) PythonJson.parse(m.get("failure").asText());
                assertThat(fieldNames(mf)).isEqualTo(fieldNames(tf));
                for (String k : List.of("class", "module", "message", "args", "kwargs")) {
                    assertThat(canon(mf.get(k))).as("failure." + k).isEqualTo(canon(tf.get(k)));
                }
                assertThat(mf.get("tb").isArray()).isTrue();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // helpers: Python ops

    private OsloPython.ClientRun osloClient(List<ObjectNode> ops) {
        return OsloPython.runClient(infra.osloTransportUrl(), exchange, ops, CLIENT_RUN);
    }

    private static ObjectNode op(String kind, String id, String topic, String version, String method,
                                 ObjectNode args, ObjectNode ctx) {
        ObjectNode op = PythonJson.object();
        op.put("id", id);
        op.put("kind", kind);
        op.put("topic", topic);
        if (version != null) {
            op.put("version", version);
        }
        op.put("method", method);
        op.set("args", args);
        op.set("context", ctx);
        op.put("timeout", 10);
        return op;
    }

    private static ObjectNode call(String id, String topic, String version, String method, ObjectNode args,
                                   ObjectNode ctx) {
        return op("call", id, topic, version, method, args, ctx);
    }

    private static ObjectNode cast(String id, String topic, String version, String method, ObjectNode args,
                                   ObjectNode ctx) {
        return op("cast", id, topic, version, method, args, ctx);
    }

    private static ObjectNode with(ObjectNode node, String key, Object value) {
        node.set(key, PythonJson.valueToTree(value));
        return node;
    }

    private static ObjectNode secure(String key) {
        return secure(key, null);
    }

    private static ObjectNode secure(String key, String entityKey) {
        ObjectNode s = PythonJson.object();
        s.put("type", "secure");
        s.put("key", key);
        if (entityKey != null) {
            s.put("entity_key", entityKey);
        }
        return s;
    }

    private static ObjectNode conductorGuest(String key, String instanceId) {
        ObjectNode s = PythonJson.object();
        s.put("type", "conductor_guest");
        s.put("key", key);
        s.put("instance_id", instanceId);
        return s;
    }

    private static ObjectNode conductorHost() {
        ObjectNode s = PythonJson.object();
        s.put("type", "conductor_host");
        s.putObject("keys").put(INSTANCE_ID, INSTANCE_KEY);
        return s;
    }

    private static ObjectNode osloServerSpec(String name, String topic, String version, ObjectNode serializer) {
        ObjectNode s = PythonJson.object();
        s.put("name", name);
        s.put("topic", topic);
        s.put("server", "psrv");
        s.put("version", version);
        if (serializer != null) {
            s.set("serializer", serializer);
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------------------
    // helpers: values and contexts

    private String marker() {
        return "m-" + UUID.randomUUID();
    }

    /** A context dict shaped like TroveContext.to_dict(), with a request id the test can look for. */
    private ObjectNode troveContextDict(String what) {
        ObjectNode dict = RpcContext.user("alice-" + what, "proj-" + what + "-" + run, false).toDict();
        dict.put("auth_token", "gAAAAA-token-" + run);
        dict.put("request_id", "req-" + UUID.randomUUID());
        dict.put("global_request_id", "req-" + UUID.randomUUID());
        dict.putArray("roles").add("member").add("reader");
        return dict;
    }

    /** Values that exercise the JSON encoders: non-ASCII, big and small numbers, nesting, null, booleans. */
    private static ObjectNode mixedValues() {
        return parse("{\"name\": \"h\\u00e9llo w\\u00f6rld \\u2603 \\ud83d\\ude00\", \"count\": 42, "
                + "\"big\": 12345678901234567890, \"sent\": 1795582467.952439, \"small\": 2.5e-07, "
                + "\"huge\": 1e+16, \"neg\": -0.5, \"three\": 3.0, \"flag\": true, \"off\": false, "
                + "\"nothing\": null, \"list\": [1, \"two\", 3.5, [], {}], "
                + "\"nested\": {\"service_status\": \"healthy\", \"quote\": \"a\\\"b\\\\c\\n\\t/\"}, "
                + "\"control\": \"esc\\u001b del\\u007f\"}");
    }

    private static ObjectNode args(Object... keyValues) {
        ObjectNode a = PythonJson.object();
        for (int i = 0; i < keyValues.length; i += 2) {
            a.set((String) keyValues[i], PythonJson.valueToTree(keyValues[i + 1]));
        }
        return a;
    }

    private static ObjectNode withMarker(ObjectNode values, String marker) {
        ObjectNode copy = values.deepCopy();
        copy.put("marker", marker);
        return copy;
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) PythonJson.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** JSON text with object keys sorted, for comparisons that must not depend on key order. */
    private static String canon(JsonNode node) {
        if (node == null) {
            return "<absent>";
        }
        if (node.isObject()) {
            TreeMap<String, String> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canon(e.getValue())));
            StringBuilder sb = new StringBuilder("{");
            sorted.forEach((k, v) -> sb.append(PythonJson.dumps(PythonJson.nodes().textNode(k))).append(": ")
                    .append(v).append(", "));
            return sb.append("}").toString();
        }
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            node.forEach(e -> sb.append(canon(e)).append(", "));
            return sb.append("]").toString();
        }
        return PythonJson.dumps(node);
    }

    private static void assertSameJson(JsonNode actual, JsonNode expected, OsloPython.ClientRun r) {
        assertThat(canon(actual)).as(r == null ? "JSON" : r.describe()).isEqualTo(canon(expected));
    }

    private static boolean isInvocation(JsonNode e, String server, String method, String marker) {
        return "invoked".equals(e.path("event").asText()) && server.equals(e.path("name").asText())
                && method.equals(e.path("method").asText()) && marker.equals(e.path("args").path("marker").asText());
    }

    private Received awaitJava(String what, Predicate<Received> matches) {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Received x : javaReceived) {
                if (matches.test(x)) {
                    return x;
                }
            }
            OsloPython.sleep(20);
        }
        throw new AssertionError("TroveJ server never received " + what + "; received: " + javaReceived);
    }

    /** The outcome of an oslo op, reduced to what the caller can see. */
    private static String outcome(JsonNode result) {
        if (result.path("ok").asBoolean()) {
            return "ok";
        }
        JsonNode e = result.get("error");
        return e.path("type").asText() + "/" + e.path("module").asText() + "/remote=" + e.path("remote_error")
                + "/" + e.path("exc_type").asText() + "/" + e.path("value").asText() + "/"
                + e.path("first_line").asText();
    }

    private static void assertRemote(JsonNode error, String excType, String value) {
        assertThat(error.path("remote_error").asBoolean()).as(error.toString()).isTrue();
        assertThat(error.path("type").asText()).isEqualTo("RemoteError");
        assertThat(error.path("exc_type").asText()).isEqualTo(excType);
        assertThat(error.path("value").asText()).isEqualTo(value);
    }

    private static RemoteError remoteError(Runnable call) {
        RemoteError e = catchThrowableOfType(RemoteError.class, call::run);
        assertThat(e).as("expected a RemoteError").isNotNull();
        return e;
    }

    /** A result the Python client could not open (it had no key or the wrong one), opened with {@code key}. */
    private static JsonNode opened(JsonNode sealed, String key) {
        assertThat(sealed.isTextual()).as("expected a sealed result: " + sealed).isTrue();
        try {
            return PythonJson.parse(TroveCrypto.decrypt(sealed.asText(), key));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // helpers: raw AMQP

    /** Consumes a queue raw (auto-ack) into a list, so messages with a short expiration are not lost. */
    private final class Capture implements AutoCloseable {
        private final Channel channel;
        private final List<GetResponse> got = new CopyOnWriteArrayList<>();

        Capture(String queue) throws IOException {
            channel = transport.newChannel();
            channel.basicConsume(queue, true, new com.rabbitmq.client.DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, com.rabbitmq.client.Envelope envelope,
                                           AMQP.BasicProperties props, byte[] body) {
                    got.add(new GetResponse(envelope, props, body, 0));
                }
            });
        }

        List<GetResponse> await(int count) {
            long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
            while (got.size() < count && System.nanoTime() < deadline) {
                OsloPython.sleep(20);
            }
            assertThat(got).as("captured messages").hasSize(count);
            return List.copyOf(got);
        }

        @Override
        public void close() throws Exception {
            if (channel.isOpen()) {
                channel.close();
            }
        }
    }

    /** Properties as kombu sets them on oslo messages. */
    private static AMQP.BasicProperties kombuProperties(Long expirationMillis) {
        AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder().contentType("application/json")
                .contentEncoding("utf-8").deliveryMode(2).priority(0).headers(Map.of());
        if (expirationMillis != null) {
            b.expiration(Long.toString(expirationMillis));
        }
        return b.build();
    }

    private List<GetResponse> drain(String queue, int count) throws IOException {
        List<GetResponse> got = new ArrayList<>();
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        try (Channel ch = transport.newChannel()) {
            while (got.size() < count && System.nanoTime() < deadline) {
                GetResponse g = ch.basicGet(queue, true);
                if (g == null) {
                    OsloPython.sleep(20);
                } else {
                    got.add(g);
                }
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
        assertThat(got).as("messages on " + queue).hasSize(count);
        return got;
    }

    private void deleteQueue(String queue) throws Exception {
        try (Channel ch = transport.newChannel()) {
            ch.queueDelete(queue);
        }
    }

    private static ObjectNode inner(byte[] body) throws JsonProcessingException {
        JsonNode outer = PythonJson.parse(new String(body, StandardCharsets.UTF_8));
        assertThat(outer.get("oslo.version").asText()).isEqualTo("2.0");
        return (ObjectNode) PythonJson.parse(outer.get("oslo.message").asText());
    }

    /** The body with the random ids (_unique_id, _msg_id, reply queue) replaced. */
    private static String masked(byte[] body) throws JsonProcessingException {
        String text = new String(body, StandardCharsets.UTF_8);
        ObjectNode inner = inner(body);
        for (String key : List.of("_unique_id", "_msg_id", "_reply_q")) {
            JsonNode v = inner.get(key);
            if (v != null && v.isTextual()) {
                text = text.replace(v.asText(), "<" + key + ">");
            }
        }
        return text;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertSameProperties(AMQP.BasicProperties mine, AMQP.BasicProperties theirs) {
        assertThat(mine.getContentType()).isEqualTo(theirs.getContentType());
        assertThat(mine.getContentEncoding()).isEqualTo(theirs.getContentEncoding());
        assertThat(mine.getDeliveryMode()).isEqualTo(theirs.getDeliveryMode());
        assertThat(mine.getPriority()).isEqualTo(theirs.getPriority());
        assertThat(mine.getHeaders() == null ? Map.of() : mine.getHeaders())
                .isEqualTo(theirs.getHeaders() == null ? Map.of() : theirs.getHeaders());
        assertThat(mine.getCorrelationId()).isEqualTo(theirs.getCorrelationId());
        assertThat(mine.getReplyTo()).isEqualTo(theirs.getReplyTo());
    }
}
