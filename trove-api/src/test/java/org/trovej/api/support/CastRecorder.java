package org.trovej.api.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.common.rpc.RpcServer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.service.TroveProperties;

/**
 * A stand-in task manager: consumes the test's task manager topic with the task manager's key, as the real one
 * would, and records every cast. What it receives is what went over the broker, encrypted and decrypted.
 */
public final class CastRecorder {

    /** A received cast, its arguments already decrypted. */
    public record Cast(String method, ObjectNode args, RpcContext context) {
        public String instanceId() {
            return args.path("instance_id").asText(null);
        }

        /** The backup a create_backup or delete_backup cast is about. */
        public String backupId() {
            return args.has("backup_id") ? args.get("backup_id").asText() : args.path("backup_info").path("id")
                    .asText(null);
        }
    }

    private static volatile CastRecorder instance;

    private final List<Cast> casts = new CopyOnWriteArrayList<>();

    private CastRecorder(RpcTransport transport, String topic) {
        RpcEndpoint.Builder endpoint = RpcEndpoint.builder("1.0");
        for (String method : List.of("create_instance", "delete_instance", "restart", "resize_flavor",
                "resize_volume", "reboot", "rebuild", "upgrade", "stop_db", "create_backup", "delete_backup",
                "promote_to_replica_source", "eject_replica_source", "detach_replica")) {
            endpoint.sync(method, (context, args) -> {
                casts.add(new Cast(method, args.asObject(), context));
                return null;
            });
        }
        String key = new TroveProperties(null, null).keys().taskmanagerRpcEncrKey();
        new RpcServer(transport, topic, null, new SecureSerializer(key), endpoint.build(),
                RpcServer.Options.defaults()).start();
    }

    /** The JVM's recorder, started on first use (the queue must exist before the first cast is sent). */
    public static CastRecorder on(RpcTransport transport, String topic) {
        CastRecorder current = instance;
        if (current == null) {
            synchronized (CastRecorder.class) {
                if (instance == null) {
                    instance = new CastRecorder(transport, topic);
                }
                current = instance;
            }
        }
        return current;
    }

    public List<Cast> all() {
        return List.copyOf(casts);
    }

    public List<Cast> forInstance(String instanceId) {
        return casts.stream().filter(c -> instanceId.equals(c.instanceId())).toList();
    }

    /** The first cast of {@code method} for the instance, waiting for it to arrive. */
    public Cast await(String method, String instanceId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (Cast cast : casts) {
                if (cast.method().equals(method) && instanceId.equals(cast.instanceId())) {
                    return cast;
                }
            }
            sleep(20);
        }
        throw new AssertionError("no " + method + " cast for " + instanceId + " arrived; got " + casts);
    }

    /** The first cast of {@code method} about the backup, waiting for it to arrive. */
    public Cast awaitBackup(String method, String backupId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (Cast cast : casts) {
                if (cast.method().equals(method) && backupId.equals(cast.backupId())) {
                    return cast;
                }
            }
            sleep(20);
        }
        throw new AssertionError("no " + method + " cast for backup " + backupId + " arrived; got " + casts);
    }

    /**
     * The casts that match, after giving a cast that was sent time to arrive (a request returns only after the
     * broker has confirmed its cast, so half a second is plenty).
     */
    public List<Cast> settled(java.util.function.Predicate<Cast> filter) {
        sleep(500);
        return casts.stream().filter(filter).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
