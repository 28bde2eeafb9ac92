package org.trovej.service.guest;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcSerializer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.service.keys.InstanceKeyStore;

/**
 * Talks to one instance's guest agent on {@code guestagent.<id>} with that instance's key. The first message
 * to a new guest is {@code prepare}, cast while the guest is still booting: its queue is declared first, so
 * the message waits in the queue instead of being dropped by the exchange for want of a binding. The task
 * manager and the REST API share it (see {@link GuestAgentClientConfiguration}).
 */
public class GuestAgentClient {

    /** The guest API version TroveJ speaks (Trove's "latest" cap). */
    public static final String VERSION = "1.3";

    private final RpcTransport transport;
    private final RpcClient client;
    private final InstanceKeyStore keys;
    private final GuestTimeouts timeouts;

    public GuestAgentClient(RpcTransport transport, RpcClient client, InstanceKeyStore keys, GuestTimeouts timeouts) {
        this.transport = transport;
        this.client = client;
        this.keys = keys;
        this.timeouts = timeouts;
    }

    /** Declares the guest's queues (topic and {@code topic.<id>}, as the guest's own server will). */
    public void declareQueue(String instanceId) {
        transport.predeclare(Topics.guest(instanceId), instanceId);
    }

    /**
     * Deletes the guest's queues once the instance is gone (Trove's delete_queue), so the broker does not keep
     * a queue per deleted instance. Best effort: a queue that is not there is fine.
     */
    public void deleteQueue(String instanceId) {
        String topic = Topics.guest(instanceId);
        for (String queue : new String[] {topic, topic + "." + instanceId}) {
            try (com.rabbitmq.client.Channel channel = transport.newChannel()) {
                channel.queueDelete(queue);
            } catch (java.io.IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                // a missing queue closes the channel on some brokers: nothing to delete then
            }
        }
    }

    /** Casts {@code prepare} (version 1.1, as Trove sends it) after declaring the guest's queue. */
    public void prepare(RpcContext context, String instanceId, ObjectNode prepareArgs) {
        declareQueue(instanceId);
        target(instanceId, "1.1").cast(context, "prepare", prepareArgs);
    }

    public void cast(RpcContext context, String instanceId, String method, ObjectNode args) {
        target(instanceId, VERSION).cast(context, method, args);
    }

    public JsonNode callLow(RpcContext context, String instanceId, String method, ObjectNode args) {
        return call(context, instanceId, method, args, timeouts.low());
    }

    public JsonNode callHigh(RpcContext context, String instanceId, String method, ObjectNode args) {
        return call(context, instanceId, method, args, timeouts.high());
    }

    public JsonNode call(RpcContext context, String instanceId, String method, ObjectNode args, Duration timeout) {
        return target(instanceId, VERSION).call(context, method, args, timeout);
    }

    private RpcClient.Target target(String instanceId, String version) {
        String key = keys.keyOf(instanceId);
        RpcSerializer serializer = key == null ? RpcSerializer.plain() : new SecureSerializer(key);
        return client.target(Topics.guest(instanceId), version, serializer);
    }
}
