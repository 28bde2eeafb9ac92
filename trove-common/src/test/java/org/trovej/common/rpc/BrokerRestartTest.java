package org.trovej.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.trovej.common.crypto.TroveCrypto;
import org.trovej.common.json.PythonJson;
import org.trovej.embedded.EmbeddedAmqpBroker;

/**
 * A broker that goes away and comes back: consumers and clients reconnect and re-declare their queues by
 * themselves. Uses a private embedded broker, so stopping it disturbs nothing else.
 */
class BrokerRestartTest {

    @Test
    void serverAndClientSurviveABrokerRestart() throws Exception {
        Path work = Files.createTempDirectory("qpid-restart");
        EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker("127.0.0.1", 0, "guest", "guest", work).start();
        int port = broker.port();
        String key = TroveCrypto.newInstanceKey();
        BlockingQueue<String> casts = new LinkedBlockingQueue<>();
        RpcEndpoint endpoint = RpcEndpoint.builder("1.0")
                .sync("echo", (ctx, args) -> args.required("value"))
                .sync("record", (ctx, args) -> {
                    casts.add(args.text("value"));
                    return null;
                }).build();
        try (RpcTransport serverSide = RpcTransport.connect(broker.uri(), "trove", "server", Duration.ofSeconds(5));
             RpcTransport clientSide = RpcTransport.connect(broker.uri(), "trove", "client", Duration.ofSeconds(5));
             RpcServer server = new RpcServer(serverSide, "trove-conductor", "host", new SecureSerializer(key),
                     endpoint, RpcServer.Options.defaults()).start();
             RpcClient client = new RpcClient(clientSide)) {
            RpcClient.Target target = client.target("trove-conductor", "1.0", new SecureSerializer(key));
            assertThat(target.call(RpcContext.service(), "echo", value("before"), Duration.ofSeconds(5)).asText())
                    .isEqualTo("before");

            broker.stop();
            EmbeddedAmqpBroker again = new EmbeddedAmqpBroker("127.0.0.1", port, "guest", "guest", work).start();
            try {
                JsonNode answer = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (answer == null && System.nanoTime() < deadline) {
                    try {
                        answer = target.call(RpcContext.service(), "echo", value("after"), Duration.ofSeconds(2));
                    } catch (RuntimeException notYet) {
                        Thread.sleep(500);
                    }
                }
                assertThat(answer).as("a call after the broker came back").isNotNull();
                assertThat(answer.asText()).isEqualTo("after");
                target.cast(RpcContext.service(), "record", value("cast-after"));
                assertThat(casts.poll(10, TimeUnit.SECONDS)).isEqualTo("cast-after");
                assertThat(serverSide.isOpen()).isTrue();
            } finally {
                again.stop();
            }
        }
    }

    private static ObjectNode value(String v) {
        ObjectNode args = PythonJson.object();
        args.put("value", v);
        return args;
    }
}
