package org.trovej.guestagent;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.testsupport.TestInfrastructure;

/**
 * The control plane's side of a test: a connection to the broker on the test's own exchange, a conductor that
 * records what guests report, and encrypted calls to a guest as Trove's task manager makes them (API 1.3).
 */
final class GuestRpc implements AutoCloseable {

    static final Duration CALL = Duration.ofSeconds(90);

    final RpcTransport transport;
    final RpcClient client;
    final RecordingConductor conductor;

    GuestRpc(String exchange, String clientName) {
        transport = RpcTransport.connect(TestInfrastructure.get().amqpUri(), exchange, clientName,
                Duration.ofSeconds(20));
        client = new RpcClient(transport);
        conductor = new RecordingConductor(transport);
    }

    /** Lets the conductor open the guest's messages and declares its queue, as the task manager does first. */
    void expect(String guestId, String key) {
        conductor.register(guestId, key);
        transport.predeclare(Topics.guest(guestId), guestId);
    }

    RpcClient.Target guest(String guestId, String key) {
        return client.target(Topics.guest(guestId), "1.3", new SecureSerializer(key));
    }

    JsonNode call(String guestId, String key, String method, ObjectNode args) {
        return guest(guestId, key).call(RpcContext.service(), method, args, CALL);
    }

    /** Trove's {@code update_overrides(overrides, remove)}. */
    void updateOverrides(String guestId, String key, ObjectNode overrides, boolean remove) {
        ObjectNode args = PythonJson.object();
        args.set("overrides", overrides);
        args.put("remove", remove);
        call(guestId, key, "update_overrides", args);
    }

    /** Trove's {@code apply_overrides(overrides)}. */
    void applyOverrides(String guestId, String key, ObjectNode overrides) {
        ObjectNode args = PythonJson.object();
        args.set("overrides", overrides);
        call(guestId, key, "apply_overrides", args);
    }

    /** A dict of parameter → value from pairs, in order. */
    static ObjectNode values(Object... pairs) {
        ObjectNode node = PythonJson.object();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], PythonJson.valueToTree(pairs[i + 1]));
        }
        return node;
    }

    @Override
    public void close() {
        conductor.close();
        client.close();
        transport.close();
    }
}
