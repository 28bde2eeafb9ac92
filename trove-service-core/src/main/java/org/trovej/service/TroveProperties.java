package org.trovej.service;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings shared by the control-plane services, under {@code trovej.*} (environment: TROVEJ_RPC_AMQP_URI,
 * TROVEJ_RPC_CONTROL_EXCHANGE, ...). Names follow Trove's options where one exists.
 */
@ConfigurationProperties(prefix = "trovej")
public record TroveProperties(Rpc rpc, Keys keys) {

    public TroveProperties {
        rpc = rpc == null ? new Rpc(null, null, null, null, null, null) : rpc;
        keys = keys == null ? new Keys(null, null, null) : keys;
    }

    /**
     * @param amqpUri          the broker (amqp://user:password@host:port/vhost)
     * @param controlExchange  Trove's {@code control_exchange}; guests must use the same
     * @param host             this server's name: queues {@code <topic>.<host>} (Trove's {@code host})
     * @param conductorQueue   Trove's {@code conductor_queue}
     * @param taskmanagerQueue Trove's {@code taskmanager_queue}
     * @param connectTimeout   how long a service waits for the broker at start-up
     */
    public record Rpc(String amqpUri, String controlExchange, String host, String conductorQueue,
                      String taskmanagerQueue, Duration connectTimeout) {
        public Rpc {
            amqpUri = amqpUri == null ? "amqp://guest:guest@127.0.0.1:5672/%2F" : amqpUri;
            controlExchange = controlExchange == null ? "trove" : controlExchange;
            host = host == null ? "0.0.0.0" : host;
            conductorQueue = conductorQueue == null ? "trove-conductor" : conductorQueue;
            taskmanagerQueue = taskmanagerQueue == null ? "taskmanager" : taskmanagerQueue;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(60) : connectTimeout;
        }
    }

    /**
     * @param secureRpcMessaging       Trove's {@code enable_secure_rpc_messaging}
     * @param taskmanagerRpcEncrKey    key of API→task manager messages
     * @param instRpcKeyEncrKey        key that seals per-instance keys at rest
     */
    public record Keys(Boolean secureRpcMessaging, String taskmanagerRpcEncrKey, String instRpcKeyEncrKey) {
        public Keys {
            secureRpcMessaging = secureRpcMessaging == null ? Boolean.TRUE : secureRpcMessaging;
            // Trove's published defaults, so a deployment mixing Trove and TroveJ works out of the box;
            // operations.md tells operators to change both.
            taskmanagerRpcEncrKey = taskmanagerRpcEncrKey == null ? "bzH6y0SGmjuoY0FNSTptrhgieGXNDX6PIhvz"
                    : taskmanagerRpcEncrKey;
            instRpcKeyEncrKey = instRpcKeyEncrKey == null ? "emYjgHFqfXNB1NGehAFIUeoyw4V4XwWHEaKP" : instRpcKeyEncrKey;
        }
    }
}
