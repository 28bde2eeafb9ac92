package org.trovej.api.instance;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.ApiProperties;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.error.ApiException;
import org.trovej.api.web.Timestamps;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;
import org.trovej.service.taskmanager.TaskManagerClient;

/**
 * The replication actions of an existing instance (trove/instance/models.py promote_to_replica_source,
 * eject_replica_source, detach_replica): Trove's checks and tasks under the instances' locks, then the task manager's
 * flow (trove-taskmanager {@code replication}). A replica's creation is {@link InstanceCreateService}'s.
 */
@Service
public class InstanceReplicationService {

    private static final Logger log = LoggerFactory.getLogger(InstanceReplicationService.class);
    /**
     * Statuses in which a source's database takes no writes although its guest still reports: TroveJ lets such a
     * source be ejected (Trove only a source whose guest went silent); the eject then keeps it stopped.
     */
    private static final Set<ServiceStatus> DATABASE_DOWN = Set.of(ServiceStatus.SHUTDOWN, ServiceStatus.CRASHED,
            ServiceStatus.FAILED, ServiceStatus.FAILED_TIMEOUT_GUESTAGENT, ServiceStatus.UNKNOWN);

    private final InstanceLoader loader;
    private final InstanceRepository instances;
    private final TaskManagerClient taskManager;
    private final TaskCasts casts;
    private final TransactionTemplate tx;
    private final Policy policy;
    private final ApiProperties properties;

    InstanceReplicationService(InstanceLoader loader, InstanceRepository instances, TaskManagerClient taskManager,
                               TaskCasts casts, TransactionTemplate tx, Policy policy, ApiProperties properties) {
        this.loader = loader;
        this.instances = instances;
        this.taskManager = taskManager;
        this.casts = casts;
        this.tx = tx;
        this.policy = policy;
        this.properties = properties;
    }

    /** The replica becomes the source; its source and siblings get task PROMOTING with it, as in Trove. */
    public void promote(AuthContext caller, String id, String requestId) {
        tx.executeWithoutResult(s -> {
            Instance replica = loader.lock(caller, id);
            policy.enforce(caller, "instance:promote_to_replica_source", replica.getTenantId());
            loader.actionState(replica, loader.serviceStatus(replica)).requireActionable(id);
            if (replica.getSlaveOfId() == null) {
                throw ApiException.badRequest("Instance " + id + " is not a replica.");
            }
            Instance source = instances.lockById(replica.getSlaveOfId())
                    .orElseThrow(() -> ApiException.badRequest("The source of replica " + id + " is gone."));
            // TroveJ: a source in the middle of another operation would have it cut short by the promote
            requireIdle(source);
            for (Instance member : members(source)) {
                member.setTask(InstanceTask.PROMOTING);
            }
        });
        log.info("Replica {} is being promoted to replication source", id);
        RpcContext context = caller.toRpcContext(requestId);
        casts.send(id, "promote_to_replica_source", InstanceTask.NONE,
                () -> taskManager.promoteToReplicaSource(context, id));
    }

    /**
     * The source is replaced by its most advanced replica. As in Trove only a source whose guest has gone silent
     * past {@code agent_heartbeat_expiry}; TroveJ also takes one whose guest reports its database down.
     */
    public void eject(AuthContext caller, String id, String requestId) {
        tx.executeWithoutResult(s -> {
            Instance source = loader.lock(caller, id);
            policy.enforce(caller, "instance:eject_replica_source", source.getTenantId());
            if (loader.replicasOf(source).isEmpty()) {
                throw ApiException.badRequest("Instance " + id + " is not a replica source.");
            }
            InstanceServiceStatus status = loader.serviceStatus(source);
            if (heartbeatCurrent(status) && !DATABASE_DOWN.contains(status.getStatus())) {
                throw ApiException.badRequest("Replica Source " + id + " cannot be ejected as it has a current "
                        + "heartbeat");
            }
            for (Instance member : members(source)) {
                member.setTask(InstanceTask.EJECTING);
            }
        });
        log.warn("Replica source {} is being ejected", id);
        RpcContext context = caller.toRpcContext(requestId);
        casts.send(id, "eject_replica_source", InstanceTask.NONE, () -> taskManager.ejectReplicaSource(context, id));
    }

    /** Checks a detach ({@code PUT} with {@code replica_of}) under the instance's lock and sets task DETACHING. */
    void prepareDetach(Instance replica) {
        loader.actionState(replica, loader.serviceStatus(replica)).requireActionable(replica.getId());
        if (replica.getSlaveOfId() == null) {
            throw ApiException.badRequest("Instance " + replica.getId() + " is not a replica.");
        }
        replica.setTask(InstanceTask.DETACHING);
    }

    /** After the detach was committed: the task manager's flow. */
    void castDetach(AuthContext caller, String id, String requestId) {
        log.info("Replica {} is being detached from its source", id);
        RpcContext context = caller.toRpcContext(requestId);
        casts.send(id, "detach_replica", InstanceTask.NONE, () -> taskManager.detachReplica(context, id));
    }

    private boolean heartbeatCurrent(InstanceServiceStatus status) {
        LocalDateTime last = status.getUpdatedAt();
        Duration expiry = properties.agentHeartbeatExpiry();
        return last != null && Duration.between(last, Timestamps.nowUtc()).compareTo(expiry) < 0;
    }

    /** The source and its replicas, locked. */
    private List<Instance> members(Instance source) {
        List<Instance> members = new ArrayList<>();
        members.add(source);
        for (Instance replica : loader.replicasOf(source)) {
            instances.lockById(replica.getId()).ifPresent(members::add);
        }
        return members;
    }

    private static void requireIdle(Instance source) {
        InstanceTask task = source.getTask();
        if (task != InstanceTask.NONE && task != InstanceTask.RESTART_REQUIRED) {
            throw ApiException.unprocessable("Instance " + source.getId() + " is not ready. (Task is "
                    + task.action() + ").");
        }
    }
}
