package org.trovej.service.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.common.rpc.RpcServer;
import org.trovej.common.rpc.RpcTimeoutException;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.testsupport.ControlPlaneRows;
import org.trovej.testsupport.SpringTestProperties;

@SpringBootTest(classes = GuestAgentClientTest.Services.class, properties = "trovej.guest.timeouts.low=2s")
class GuestAgentClientTest {

    /** The service core and the RPC clients alone (broker, keys, database), as the API and task manager get them. */
    @SpringBootApplication
    static class Services {
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringTestProperties.register(registry);
    }

    @Autowired
    GuestAgentClient guests;
    @Autowired
    InstanceKeyStore keys;
    @Autowired
    RpcTransport transport;
    @Autowired
    DataSource dataSource;

    @Test
    void prepareCastBeforeTheGuestIsUpIsDeliveredWhenItStarts() throws Exception {
        ControlPlaneRows rows = new ControlPlaneRows(dataSource);
        String instanceId = UUID.randomUUID().toString();
        InstanceKeyStore.NewKey key = keys.newKey();
        rows.instance(instanceId, "tenant", rows.datastoreVersion("postgresql", "16"), key.sealed());

        ObjectNode args = PythonJson.object();
        args.put("memory_mb", 2048);
        args.putArray("users").addObject().put("_name", "app").put("_password", "s3cret-pw");
        guests.prepare(RpcContext.user("u", "tenant", false), instanceId, args);

        // the guest boots only now, with its key from guest_info.conf
        BlockingQueue<RpcArgs> received = new LinkedBlockingQueue<>();
        RpcEndpoint guestEndpoint = RpcEndpoint.builder("1.3")
                .sync("prepare", (ctx, a) -> {
                    received.add(a);
                    return null;
                })
                .sync("rpc_ping", (ctx, a) -> PythonJson.nodes().booleanNode(true))
                .build();
        try (RpcServer guest = new RpcServer(transport, Topics.guest(instanceId), instanceId,
                new SecureSerializer(key.key()), guestEndpoint, RpcServer.Options.defaults()).start()) {
            RpcArgs prepare = received.poll(10, TimeUnit.SECONDS);
            assertThat(prepare).as("prepare delivered after the guest came up").isNotNull();
            assertThat(prepare.required("memory_mb").asInt()).isEqualTo(2048);
            assertThat(prepare.required("users").get(0).get("_password").asText()).isEqualTo("s3cret-pw");
            assertThat(guests.callLow(RpcContext.service(), instanceId, "rpc_ping", PythonJson.object()).asBoolean())
                    .isTrue();
        }
    }

    @Test
    void aGuestThatDoesNotAnswerTimesOutAtTheLowTimeout() {
        String instanceId = UUID.randomUUID().toString();
        guests.declareQueue(instanceId);
        long start = System.nanoTime();
        assertThatThrownBy(() -> guests.callLow(RpcContext.service(), instanceId, "rpc_ping", PythonJson.object()))
                .isInstanceOf(RpcTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    }
}
