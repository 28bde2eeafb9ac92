package org.trovej.guestagent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.common.pitr.LogShipment;
import org.trovej.common.rpc.ConductorHostSerializer;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.common.rpc.RpcServer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.Topics;

/**
 * Plays the conductor: consumes {@code trove-conductor} with the host serializer (so every message must be
 * sealed with the key of the instance it claims to come from) and records heartbeats and faults.
 */
final class RecordingConductor implements AutoCloseable {

    record Heartbeat(String instanceId, String sealedBy, String status, double sent) {
    }

    record Fault(String instanceId, String sealedBy, JsonNode notification, String message, List<String> traceback) {
    }

    /** An {@code update_backup}: every argument as sent (state, size, checksum, location, failure_reason...). */
    record BackupUpdate(String instanceId, String sealedBy, String backupId, JsonNode args) {
        String state() {
            return args.path("state").asText();
        }
    }

    /** A {@code log_shipped} call (point-in-time restore), as the guest sent it. */
    record Shipped(String instanceId, String sealedBy, LogShipment shipment) {
    }

    private static final Duration FAULT_DELAY = Duration.ofMillis(400);

    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private final List<BackupUpdate> backupUpdates = new ArrayList<>();
    private final List<Heartbeat> heartbeats = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<Shipped> shipped = new ArrayList<>();
    private final RpcServer server;

    RecordingConductor(RpcTransport transport) {
        RpcEndpoint endpoint = RpcEndpoint.builder("1.0")
                .sync("heartbeat", (ctx, args) -> {
                    record(new Heartbeat(args.text("instance_id"), ctx.instanceId(),
                            args.required("payload").path("service_status").asText(), args.number("sent")));
                    return null;
                })
                .sync("update_backup", (ctx, args) -> {
                    record(new BackupUpdate(args.text("instance_id"), ctx.instanceId(), args.text("backup_id"),
                            args.asObject()));
                    return null;
                })
                .sync("log_shipped", (ctx, args) -> {
                    record(new Shipped(args.text("instance_id"), ctx.instanceId(),
                            LogShipment.fromWire(args.required("shipment"))));
                    return null;
                })
                .sync("notify_exc_info", (ctx, args) -> {
                    // a slow conductor: a guest that sent its failed status before this fault's reply would have
                    // that status recorded first, and the tests that read the fault once they see it would fail
                    sleep(FAULT_DELAY);
                    List<String> lines = new ArrayList<>();
                    args.required("exception").forEach(l -> lines.add(l.asText()));
                    JsonNode notification = args.required("serialized_notification");
                    record(new Fault(notification.path("instance_id").asText(), ctx.instanceId(), notification,
                            args.text("message"), lines));
                    return null;
                })
                .build();
        server = new RpcServer(transport, Topics.CONDUCTOR, "test-conductor",
                new ConductorHostSerializer(keys::get), endpoint, RpcServer.Options.defaults()).start();
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void register(String instanceId, String key) {
        keys.put(instanceId, key);
    }

    private synchronized void record(Object event) {
        if (event instanceof Heartbeat h) {
            heartbeats.add(h);
        } else if (event instanceof BackupUpdate b) {
            backupUpdates.add(b);
        } else if (event instanceof Shipped l) {
            shipped.add(l);
        } else {
            faults.add((Fault) event);
        }
        notifyAll();
    }

    /**
     * The instance's heartbeats in the order they were sent: the server's workers may take two casts in the
     * other order, which is why Trove's conductor goes by {@code sent}, and so does this one.
     */
    synchronized List<Heartbeat> heartbeats(String instanceId) {
        return heartbeats.stream().filter(h -> h.instanceId().equals(instanceId))
                .sorted(java.util.Comparator.comparingDouble(Heartbeat::sent)).toList();
    }

    synchronized List<String> statuses(String instanceId) {
        return heartbeats(instanceId).stream().map(Heartbeat::status).toList();
    }

    /** The backup's updates in the order they were sent. */
    /** The instance's {@code log_shipped} calls, in the order they came. */
    synchronized List<Shipped> shipped(String instanceId) {
        return shipped.stream().filter(l -> l.instanceId().equals(instanceId)).toList();
    }

    /**
     * The instance's shipments once a stored one is restorable after {@code moment} (its log holds everything
     * committed until then); fails after {@code timeout}.
     */
    synchronized List<LogShipment> awaitShippedAfter(String instanceId, java.time.Instant moment, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<LogShipment> mine = shipped(instanceId).stream().map(Shipped::shipment).toList();
            if (mine.stream().anyMatch(s -> s.stored() && s.restorableUntil().isAfter(moment))) {
                return mine;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no shipment of " + instanceId + " restorable after " + moment + ": " + mine);
            }
            wait(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
    }

    synchronized List<BackupUpdate> backupUpdates(String backupId) {
        return backupUpdates.stream().filter(b -> b.backupId().equals(backupId))
                .sorted(java.util.Comparator.comparingDouble(b -> b.args().path("sent").asDouble())).toList();
    }

    /** Waits until the backup's latest update has state COMPLETED or FAILED; returns it (null: none in time). */
    synchronized BackupUpdate awaitBackupOutcome(String backupId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<BackupUpdate> updates = backupUpdates(backupId);
            if (!updates.isEmpty()) {
                BackupUpdate last = updates.get(updates.size() - 1);
                if (last.state().equals("COMPLETED") || last.state().equals("FAILED")) {
                    return last;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized List<Fault> faults(String instanceId) {
        return faults.stream().filter(f -> f.instanceId().equals(instanceId)).toList();
    }

    /** Waits until the instance's latest heartbeat has {@code status}, at most {@code timeout}. */
    String awaitLatestStatus(String instanceId, String status, Duration timeout) throws InterruptedException {
        return awaitHeartbeat(instanceId, h -> h.status().equals(status), 0, timeout);
    }

    /**
     * Waits for a heartbeat matching {@code wanted} at position {@code from} or later in the instance's list
     * that is also its latest; returns the latest status seen (for the failure message).
     */
    synchronized String awaitHeartbeat(String instanceId, Predicate<Heartbeat> wanted, int from, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Heartbeat> mine = heartbeats(instanceId);
            if (mine.size() > from && wanted.test(mine.get(mine.size() - 1))) {
                return mine.get(mine.size() - 1).status();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return mine.isEmpty() ? "<none>" : mine.get(mine.size() - 1).status() + " (all: "
                        + mine.stream().map(Heartbeat::status).toList() + ")";
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized Fault awaitFault(String instanceId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (faults(instanceId).isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return faults(instanceId).get(0);
    }

    @Override
    public void close() {
        server.close();
    }
}
