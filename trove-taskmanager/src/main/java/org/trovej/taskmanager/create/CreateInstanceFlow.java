package org.trovej.taskmanager.create;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcRetryLater;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.service.TroveProperties;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.taskmanager.TaskManagerProperties;
import org.trovej.taskmanager.backup.BackupEncryptionKey;
import org.trovej.taskmanager.backup.BackupProperties;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.GuestBootstrap;
import org.trovej.taskmanager.compute.Image;
import org.trovej.taskmanager.compute.NetworkDriver;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.ServerAddress;
import org.trovej.taskmanager.compute.ServerRequest;
import org.trovej.taskmanager.compute.ServerStatus;
import org.trovej.taskmanager.compute.TransportUrls;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.compute.VolumeDriver;
import org.trovej.taskmanager.compute.VolumeRequest;
import org.trovej.taskmanager.flow.Claim;
import org.trovej.taskmanager.flow.FaultText;
import org.trovej.taskmanager.flow.FlowEngine;
import org.trovej.taskmanager.flow.FlowExecutor;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.FlowStore;
import org.trovej.taskmanager.flow.Step;
import org.trovej.taskmanager.flow.StepFailure;
import org.trovej.taskmanager.instance.InstanceRecords;
import org.trovej.taskmanager.instance.InstanceRow;
import org.trovej.taskmanager.replication.ReplicaSnapshots;

/**
 * {@code create_instance}: check the request → allocate the address → create the volume → create the server
 * → wait for it to be ACTIVE (server status and addresses recorded) → declare the guest's queue and cast
 * {@code prepare}. The request message is acknowledged only then, because {@code prepare} needs the
 * passwords it carries and those are never stored: a task manager that dies before that point gets the
 * message back and resumes at the step it was at. From there the build is handed over to the
 * {@link BuildMonitor}, which waits for the guest to report healthy, fail, or run out of time.
 * <p>
 * Failures end the build with Trove's error task for the step (address: port, volume: volume, server:
 * server, prepare: guest agent) and a fault naming the cause.
 */
@Component
public class CreateInstanceFlow {

    public static final String NAME = "create";
    static final String CHECK = "check_request";
    static final String SNAPSHOT = "replica_snapshot";
    static final String ADDRESS = "allocate_address";
    static final String VOLUME = "create_volume";
    static final String SERVER = "create_server";
    static final String SERVER_ACTIVE = "await_server";
    static final String PREPARE = "prepare";
    /** Flow data: the backup a replica is seeded from, deleted when the build ends. */
    public static final String SNAPSHOT_BACKUP_ID = "snapshot_backup_id";
    /** Flow data: the replica's snapshot without its secret ({@link ReplicaSnapshots#withoutSecrets}). */
    static final String SNAPSHOT_DATA = "snapshot";
    /** Handed over: the build monitor waits for the guest. */
    public static final String AWAITING_GUEST = "awaiting_guest";

    private static final Logger log = LoggerFactory.getLogger(CreateInstanceFlow.class);
    private static final Duration SERVER_POLL = Duration.ofSeconds(1);

    private final FlowStore store;
    private final FlowEngine engine;
    private final FlowExecutor executor;
    private final InstanceRecords records;
    private final NetworkDriver network;
    private final VolumeDriver volumes;
    private final ComputeDriver compute;
    private final GuestAgentClient guests;
    private final InstanceKeyStore keys;
    private final PrepareArguments prepareArguments;
    private final TroveProperties.Rpc rpc;
    private final Duration buildTimeout;
    private final BuildCleanup cleanup;
    private final BackupEncryptionKey backupKey;
    private final String backupCompression;
    private final ReplicaSnapshots snapshots;

    public CreateInstanceFlow(FlowStore store, FlowEngine engine, FlowExecutor executor, InstanceRecords records,
                              NetworkDriver network, VolumeDriver volumes, ComputeDriver compute,
                              GuestAgentClient guests, InstanceKeyStore keys, PrepareArguments prepareArguments,
                              TroveProperties troveProperties, TaskManagerProperties properties,
                              BuildCleanup cleanup, BackupEncryptionKey backupKey, BackupProperties backups,
                              ReplicaSnapshots snapshots) {
        this.snapshots = snapshots;
        this.store = store;
        this.engine = engine;
        this.executor = executor;
        this.records = records;
        this.network = network;
        this.volumes = volumes;
        this.compute = compute;
        this.guests = guests;
        this.keys = keys;
        this.prepareArguments = prepareArguments;
        this.rpc = troveProperties.rpc();
        this.buildTimeout = properties.buildTimeout();
        this.cleanup = cleanup;
        this.backupKey = backupKey;
        this.backupCompression = backups.compression().option();
    }

    /** The RPC method: completes (and so acknowledges the message) once {@code prepare} has been cast. */
    public CompletionStage<JsonNode> start(RpcContext context, RpcArgs args) {
        CreateInstanceRequest request = CreateInstanceRequest.fromWire(args);
        return executor.submit("create " + request.instanceId(), () -> run(context, request));
    }

    private void run(RpcContext context, CreateInstanceRequest request) {
        String id = request.instanceId();
        InstanceRow current = records.find(id).orElse(null);
        if (current != null && !current.deleted() && current.taskId() != InstanceTask.BUILDING.code()) {
            // a create for an instance that is no longer building (a duplicate, or one redelivered after its
            // build ended): building again would only disturb it
            log.info("create_instance for {} dropped: the instance is not building (task {})", id,
                    current.taskId());
            return;
        }
        ObjectNode data = PythonJson.object();
        data.set("flavor", request.flavor().toWire());
        Claim claim = store.claim(id, NAME, CHECK, data, buildTimeout, false);
        if (claim instanceof Claim.Claimed claimed) {
            execute(context, request, claimed.run());
        } else if (claim instanceof Claim.Busy busy && busy.sameFlow()) {
            throw new RpcRetryLater("the build of " + id + " is held by another task manager at " + busy.step()
                    + " until its lease runs out", null);
        } else if (claim instanceof Claim.Busy busy) {
            log.warn("create_instance for {} dropped: the instance is in flow {} ({})", id, busy.flow(), busy.step());
        } else if (claim instanceof Claim.AlreadyRunning) {
            log.info("create_instance for {} is running already; duplicate dropped", id);
        } else {
            log.info("create_instance for {}: no such instance (deleted?); dropped", id);
        }
    }

    private void execute(RpcContext context, CreateInstanceRequest request, FlowRun run) {
        if (AWAITING_GUEST.equals(run.step())) {
            // prepare went out before the task manager that cast it could acknowledge the message
            store.handOver(run, AWAITING_GUEST);
            return;
        }
        InstanceRow row = records.find(request.instanceId()).orElse(null);
        if (row == null) {
            store.forget(run);
            return;
        }
        Build build = new Build(context, request, row);
        engine.execute(run, List.of(
                new Step(CHECK, build::check),
                new Step(SNAPSHOT, build::snapshot),
                new Step(ADDRESS, build::allocateAddress),
                new Step(VOLUME, build::createVolume),
                new Step(SERVER, build::createServer),
                new Step(SERVER_ACTIVE, build::awaitServer),
                new Step(PREPARE, build::prepare)),
                r -> {
                    store.handOver(r, AWAITING_GUEST);
                    log.info("Instance {}: prepare cast, waiting for the guest", r.instanceId());
                },
                this::fail);
    }

    /** One build: the request (with its secrets) and the steps working on it. */
    private final class Build {
        private final RpcContext context;
        private final CreateInstanceRequest request;
        private final InstanceRow row;
        /** A replica's snapshot, whole (with its secret): only in memory, for the prepare after it. */
        private ObjectNode snapshot;

        Build(RpcContext context, CreateInstanceRequest request, InstanceRow row) {
            this.context = context;
            this.request = request;
            this.row = row;
        }

        void check(FlowRun run) {
            if (row.datastoreVersionId() == null || row.datastoreManager() == null) {
                throw new StepFailure("The instance has no datastore version", InstanceTask.BUILDING_ERROR_SERVER,
                        null);
            }
            if (request.slaveOfId() != null && request.backupId() != null) {
                throw new StepFailure("A replica is seeded from its source, not from backup " + request.backupId(),
                        InstanceTask.BUILDING_ERROR_REPLICA, null);
            }
            if (request.backupId() != null && !prepareArguments.backupExists(request.backupId())) {
                throw new StepFailure("Backup " + request.backupId() + " not found", InstanceTask.BUILDING_ERROR_SERVER,
                        null);
            }
        }

        /** A replica's seed, taken before anything is built for it: a source that cannot give one fails the build. */
        void snapshot(FlowRun run) {
            if (request.slaveOfId() == null) {
                return;
            }
            try {
                ReplicaSnapshots.Snapshot taken = snapshots.take(context, row, request.slaveOfId(), request.flavor());
                snapshot = taken.snapshot();
                run.data().put(SNAPSHOT_BACKUP_ID, taken.backupId());
                run.data().set(SNAPSHOT_DATA, ReplicaSnapshots.withoutSecrets(taken.snapshot()));
            } catch (RuntimeException e) {
                throw new StepFailure("No snapshot of the replica source " + request.slaveOfId() + ": "
                        + FaultText.reason(e), InstanceTask.BUILDING_ERROR_REPLICA, e);
            }
        }

        void allocateAddress(FlowRun run) {
            List<ServerAddress> ports = network.allocate(run.instanceId(), row.datastoreManager(), request.nics());
            ArrayNode json = run.data().putArray("addresses");
            ports.forEach(p -> json.add(p.toJson()));
        }

        void createVolume(FlowRun run) {
            int size = request.volumeSize() != null && request.volumeSize() > 0 ? request.volumeSize()
                    : Math.max(1, request.flavor().disk());
            Volume volume = volumes.createVolume(new VolumeRequest(run.instanceId(), request.name(), size,
                    request.volumeType(), request.availabilityZone(), row.datastoreManager()));
            run.data().put("volume_id", volume.id());
            records.setVolumeId(run.instanceId(), volume.id());
        }

        void createServer(FlowRun run) {
            Volume volume = volumes.findVolume(run.data().path("volume_id").asText())
                    .orElseThrow(() -> new StepFailure("The volume of the instance has disappeared"));
            GuestBootstrap guest = new GuestBootstrap(run.instanceId(), row.tenantId(), row.datastoreManager(),
                    row.datastoreVersion(), row.versionNumber(), keys.keyOf(run.instanceId()),
                    TransportUrls.fromAmqpUri(rpc.amqpUri()), rpc.controlExchange(), rpc.conductorQueue(),
                    backupKey.value().orElse(null), backupCompression);
            Server server = compute.createServer(new ServerRequest(run.instanceId(), request.name(), request.flavor(),
                    new Image(row.imageId(), row.imageTags()), volume, addresses(run), request.availabilityZone(),
                    guest));
            run.data().put("server_id", server.id());
            records.setServerId(run.instanceId(), server.id());
        }

        void awaitServer(FlowRun run) throws InterruptedException {
            String serverId = run.data().path("server_id").asText();
            while (true) {
                Optional<Server> server = compute.findServer(serverId);
                if (server.isEmpty()) {
                    throw new StepFailure("Server " + serverId + " disappeared while it was built");
                }
                ServerStatus status = server.get().status();
                if (status == ServerStatus.ACTIVE) {
                    ArrayNode addresses = PythonJson.array();
                    server.get().addresses().forEach(a -> addresses.add(a.toJson()));
                    records.setServer(run.instanceId(), status.name(), PythonJson.dumps(addresses));
                    return;
                }
                if (status == ServerStatus.ERROR || status == ServerStatus.SHUTDOWN) {
                    // the instance shows ERROR only once the failure is recorded, fault and clean-up included
                    throw new StepFailure("Server " + serverId + " is " + status + ": " + server.get().fault());
                }
                Thread.sleep(SERVER_POLL.toMillis()); // the build deadline ends a server that never comes up
            }
        }

        void prepare(FlowRun run) {
            Volume volume = volumes.findVolume(run.data().path("volume_id").asText())
                    .orElseThrow(() -> new StepFailure("The volume of the instance has disappeared"));
            String seed = run.data().path(SNAPSHOT_BACKUP_ID).asText(null);
            ObjectNode args = prepareArguments.build(context, request, row, volume, seed);
            if (seed != null) {
                if (snapshot == null) {
                    // resumed by another task manager: the kept snapshot, with the source's replica context again
                    snapshot = snapshots.complete(context, request.slaveOfId(),
                            (ObjectNode) run.data().get(SNAPSHOT_DATA));
                }
                args.set("snapshot", snapshot);
            }
            guests.prepare(prepareArguments.context(context, request, seed), run.instanceId(), args);
        }

        private List<ServerAddress> addresses(FlowRun run) {
            return java.util.stream.StreamSupport.stream(run.data().path("addresses").spliterator(), false)
                    .map(a -> new ServerAddress(a.path("address").asText(), a.path("type").asText(),
                            a.path("network").asText()))
                    .toList();
        }
    }

    private void fail(FlowRun run, String step, Exception cause) {
        InstanceTask task = cause instanceof StepFailure sf && sf.errorTask() != null ? sf.errorTask()
                : switch (step) {
                    case ADDRESS -> InstanceTask.BUILDING_ERROR_PORT;
                    case VOLUME -> InstanceTask.BUILDING_ERROR_VOLUME;
                    case PREPARE -> InstanceTask.BUILDING_ERROR_TIMEOUT_GA;
                    default -> InstanceTask.BUILDING_ERROR_SERVER;
                };
        String what = switch (step) {
            case ADDRESS -> "No address for the instance";
            case VOLUME -> "The volume could not be created";
            case PREPARE -> "The guest agent could not be asked to prepare the database";
            case CHECK -> "The create request cannot be carried out";
            case SNAPSHOT -> "The replica could not be seeded";
            default -> "The server could not be created";
        };
        List<String> console = List.of();
        String serverId = run.data().path("server_id").asText(null);
        if (serverId != null) {
            console = consoleSection(compute.consoleLog(serverId, 30));
        }
        String message = what + ": " + FaultText.reason(cause);
        List<String> leftBehind = step.equals(CHECK) ? List.of() : cleanup.release(run.instanceId(),
                serverId, run.data().path("volume_id").asText(null));
        snapshots.release(RpcContext.service(), run.data().path(SNAPSHOT_BACKUP_ID).asText(null));
        java.util.ArrayList<String> extra = new java.util.ArrayList<>(console);
        extra.addAll(leftBehind);
        String details = FaultText.details(run, step, cause, extra);
        String failedServerId = serverId;
        store.close(run, () -> {
            records.setTask(run.instanceId(), task);
            if (failedServerId == null) {
                // no server was ever made: the instance is not building any more, even once its task is reset
                // (reset_status), so that it can be deleted
                records.setServerStatus(run.instanceId(), "ERROR");
            }
            if (task == InstanceTask.BUILDING_ERROR_TIMEOUT_GA) {
                records.setServiceStatus(run.instanceId(), ServiceStatus.FAILED_TIMEOUT_GUESTAGENT);
            }
            records.recordFault(run.instanceId(), message, details);
        });
        log.error("Instance {} build failed at {}: {}", run.instanceId(), step, message);
    }

    static List<String> consoleSection(List<String> lines) {
        if (lines.isEmpty()) {
            return List.of();
        }
        java.util.ArrayList<String> section = new java.util.ArrayList<>();
        section.add("Console (last lines):");
        section.addAll(lines);
        return section;
    }
}
