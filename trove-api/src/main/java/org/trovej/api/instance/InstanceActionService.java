package org.trovej.api.instance;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.ApiProperties;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.backup.BackupService;
import org.trovej.api.error.ApiException;
import org.trovej.service.quota.QuotaResources;
import org.trovej.service.quota.QuotaService;
import org.trovej.service.quota.Reservations;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;
import org.trovej.service.flavor.FlavorCatalog;
import org.trovej.service.taskmanager.TaskManagerClient;

/**
 * Delete and the instance actions (trove/instance/models.py). Each checks and changes the locked row in one
 * transaction, then casts to the task manager once that is committed; the task set before the cast is what the
 * lifecycle contract (docs/lifecycle.md) tells the task manager to expect.
 */
@Service
public class InstanceActionService {

    private static final Logger log = LoggerFactory.getLogger(InstanceActionService.class);

    private final InstanceLoader loader;
    private final FlavorCatalog flavors;
    private final BackupService backups;
    private final TaskManagerClient taskManager;
    private final TaskCasts casts;
    private final TransactionTemplate tx;
    private final Policy policy;
    private final ApiProperties properties;
    private final QuotaService quotas;

    public InstanceActionService(InstanceLoader loader, FlavorCatalog flavors, BackupService backups,
                                 TaskManagerClient taskManager, TaskCasts casts, TransactionTemplate tx,
                                 Policy policy, ApiProperties properties, QuotaService quotas) {
        this.loader = loader;
        this.flavors = flavors;
        this.backups = backups;
        this.taskManager = taskManager;
        this.casts = casts;
        this.tx = tx;
        this.policy = policy;
        this.properties = properties;
        this.quotas = quotas;
    }

    private record FlavorChange(Flavor oldFlavor, Flavor newFlavor, String tenantId) {
    }

    /** @param grown the volumes to grow, instance id → its size now (the instance first, then its replicas) */
    private record VolumeChange(int newSize, Map<String, Integer> grown, String tenantId) {
    }

    private record Deletion(InstanceTask before, String tenantId, Map<String, Integer> frees) {
    }

    /**
     * Refused while building (unless the build failed) and while replicas hang on the instance. Once the task
     * manager has the request the instance's usage is freed (Trove's run_with_quotas with negative deltas); a
     * second delete of an instance already being deleted frees nothing again.
     */
    public void delete(AuthContext caller, String id, String requestId) {
        Deletion deletion = tx.execute(s -> {
            Instance instance = loader.lock(caller, id);
            policy.enforce(caller, "instance:delete", instance.getTenantId());
            InstanceState state = loader.actionState(instance, loader.serviceStatus(instance));
            if (state.status().equals("BUILD")) {
                throw ApiException.unprocessable("Instance " + id + " is not ready. (Status is " + state.status()
                        + ").");
            }
            refuseClusterMember(instance, false);
            if (!loader.replicasOf(instance).isEmpty()) {
                throw ApiException.forbidden("Detach replicas before deleting replica source.");
            }
            InstanceTask previous = instance.getTask();
            instance.setTask(InstanceTask.DELETING);
            instance.detachConfiguration();
            return new Deletion(previous, instance.getTenantId(), usage(instance));
        });
        log.info("Instance {} is being deleted", id);
        RpcContext context = caller.toRpcContext(requestId);
        casts.send(id, "delete_instance", deletion.before(), () -> taskManager.deleteInstance(context, id));
        if (deletion.before() != InstanceTask.DELETING) {
            quotas.release(deletion.tenantId(), deletion.frees());
        }
    }

    /** What an instance counts against its project's quotas. */
    private Map<String, Integer> usage(Instance instance) {
        Map<String, Integer> usage = new LinkedHashMap<>();
        usage.put(QuotaResources.INSTANCES, 1);
        usage.put(QuotaResources.RAM, flavors.find(instance.getFlavorId()).map(Flavor::ram).orElse(0));
        usage.put(QuotaResources.VOLUMES, instance.getVolumeSize() == null ? 0 : instance.getVolumeSize());
        return usage;
    }

    public void restart(AuthContext caller, String id, String requestId) {
        tx.executeWithoutResult(s -> {
            Instance instance = loader.lock(caller, id);
            policy.enforce(caller, "instance:restart", instance.getTenantId());
            InstanceServiceStatus status = loader.serviceStatus(instance);
            loader.actionState(instance, status).requireActionable(id);
            refuseClusterMember(instance, caller.admin());
            instance.setTask(InstanceTask.REBOOTING);
            status.set(ServiceStatus.RESTARTING);
        });
        RpcContext context = caller.toRpcContext(requestId);
        casts.send(id, "restart", InstanceTask.NONE, () -> taskManager.restart(context, id));
    }

    public void resizeFlavor(AuthContext caller, String id, String newFlavorId, String requestId) {
        FlavorChange change = tx.execute(s -> {
            Instance instance = loader.lock(caller, id);
            policy.enforce(caller, "instance:resize_flavor", instance.getTenantId());
            loader.actionState(instance, loader.serviceStatus(instance)).requireActionable(id);
            refuseClusterMember(instance, false);
            if (String.valueOf(instance.getFlavorId()).equals(newFlavorId)) {
                throw ApiException.badRequest("The new flavor id must be different than the current flavor id of '"
                        + instance.getFlavorId() + "'.");
            }
            Flavor newFlavor = flavor(newFlavorId);
            Flavor oldFlavor = flavor(instance.getFlavorId());
            if (newFlavor.ephemeral() != 0) {
                // every datastore here keeps its data on a volume
                throw ApiException.notImplemented("Local storage support is not enabled.");
            }
            return new FlavorChange(oldFlavor, newFlavor, instance.getTenantId());
        });
        Reservations reservations = quotas.reserve(change.tenantId(),
                Map.of(QuotaResources.RAM, change.newFlavor().ram() - change.oldFlavor().ram()));
        sendResize(caller, List.of(id), reservations, "resize_flavor", requestId,
                (context, instanceId) -> taskManager.resizeFlavor(context, instanceId, change.oldFlavor(),
                        change.newFlavor()));
    }

    /**
     * The instance's volume, and, as in Trove, those of its replicas (each must be ready for it too; a replica whose
     * volume is already as large is left alone).
     *
     * @param size as the request gave it: a positive integer or a string of digits
     */
    public void resizeVolume(AuthContext caller, String id, String size, String requestId) {
        VolumeChange change = tx.execute(s -> {
            Instance instance = loader.lock(caller, id);
            policy.enforce(caller, "instance:resize_volume", instance.getTenantId());
            BigInteger requested = new BigInteger(size);
            refuseClusterMember(instance, false);
            if (instance.getVolumeSize() == null || instance.getVolumeSize() == 0) {
                throw ApiException.badRequest("Instance " + id + " has no volume.");
            }
            if (requested.compareTo(BigInteger.valueOf(instance.getVolumeSize())) <= 0) {
                throw ApiException.badRequest("The new volume 'size' must be larger than the current volume size of '"
                        + instance.getVolumeSize() + "'.");
            }
            int max = properties.maxAcceptedVolumeSize();
            if (requested.compareTo(BigInteger.valueOf(max)) > 0) {
                throw ApiException.overLimit("Volume 'size' cannot exceed maximum of " + max + " GB, " + requested
                        + " cannot be accepted.");
            }
            loader.actionState(instance, loader.serviceStatus(instance)).requireActionable(id);
            int newSize = requested.intValueExact();
            Map<String, Integer> grown = new LinkedHashMap<>();
            grown.put(id, instance.getVolumeSize());
            for (Instance replica : loader.replicasOf(instance)) {
                loader.actionState(replica, loader.serviceStatus(replica)).requireActionable(replica.getId());
                if (replica.getVolumeSize() != null && replica.getVolumeSize() < newSize) {
                    grown.put(replica.getId(), replica.getVolumeSize());
                }
            }
            return new VolumeChange(newSize, grown, instance.getTenantId());
        });
        int delta = change.grown().values().stream().mapToInt(old -> change.newSize() - old).sum();
        Reservations reservations = quotas.reserve(change.tenantId(), Map.of(QuotaResources.VOLUMES, delta));
        sendResize(caller, List.copyOf(change.grown().keySet()), reservations, "resize_volume", requestId,
                (context, instanceId) -> taskManager.resizeVolume(context, instanceId, change.newSize()));
    }

    /**
     * Trove's run_with_quotas around a resize: with the change reserved, the instance is checked again and set
     * RESIZING under its lock (a concurrent action may have come first), then the cast; the reservation is
     * committed once the task manager has the request and rolled back if anything before that fails.
     */
    private void sendResize(AuthContext caller, List<String> ids, Reservations reservations, String method,
                            String requestId, BiConsumer<RpcContext, String> cast) {
        try {
            for (String id : ids) {
                tx.executeWithoutResult(s -> {
                    Instance instance = loader.lock(caller, id);
                    loader.actionState(instance, loader.serviceStatus(instance)).requireActionable(id);
                    instance.setTask(InstanceTask.RESIZING);
                });
                RpcContext context = caller.toRpcContext(requestId);
                casts.send(id, method, InstanceTask.NONE, () -> cast.accept(context, id));
            }
        } catch (RuntimeException e) {
            quotas.rollback(reservations);
            throw e;
        }
        quotas.commit(reservations);
    }

    /**
     * The admins' way out of a stuck task: no task, service status unknown, running backups failed. With
     * {@code force_delete} in the body the owner may do it too (it precedes a delete).
     */
    public void resetStatus(AuthContext caller, String id, boolean forceDelete) {
        tx.executeWithoutResult(s -> {
            Instance instance = loader.lock(caller, id);
            policy.enforce(caller, forceDelete ? "instance:force_delete" : "instance:reset_status",
                    instance.getTenantId());
            instance.setTask(InstanceTask.NONE);
            loader.serviceStatus(instance).set(ServiceStatus.UNKNOWN);
            int failed = backups.failRunning(id);
            log.info("Instance {} reset: task NONE, service status unknown, {} running backups failed", id, failed);
        });
    }

    /**
     * Management {@code reboot} (Trove's Instance.reboot): no state check, task REBOOTING and service status
     * restarting, then the task manager's {@code reboot} (database stopped, server rebooted, database started).
     */
    public void mgmtReboot(AuthContext caller, String id, String requestId) {
        tx.executeWithoutResult(s -> {
            Instance instance = loader.lock(caller, id);
            refuseClusterMember(instance, caller.admin());
            instance.setTask(InstanceTask.REBOOTING);
            loader.serviceStatus(instance).set(ServiceStatus.RESTARTING);
        });
        log.info("Instance {} is being rebooted", id);
        RpcContext context = caller.toRpcContext(requestId);
        casts.send(id, "reboot", InstanceTask.NONE, () -> taskManager.reboot(context, id));
    }

    /**
     * Management {@code rebuild} (Trove's Instance.rebuild): task BUILDING (status BUILD, as Trove shows it) and
     * the task manager rebuilds the server from the image. Trove checks nothing; TroveJ refuses an instance without a
     * server or with another task running (422), but does rebuild a broken one (ERROR, SHUTDOWN): that is what a
     * rebuild is for.
     */
    public void mgmtRebuild(AuthContext caller, String id, String imageId, String requestId) {
        InstanceTask before = tx.execute(s -> {
            Instance instance = loader.lock(caller, id);
            refuseClusterMember(instance, false);
            InstanceTask task = instance.getTask();
            if (instance.getComputeInstanceId() == null) {
                throw ApiException.unprocessable("Instance " + id + " has no server to rebuild.");
            }
            if (task != InstanceTask.NONE && !task.isError()) {
                throw ApiException.unprocessable("Instance " + id + " is not ready, task: " + task.action() + ".");
            }
            instance.setTask(InstanceTask.BUILDING);
            return task;
        });
        log.info("Instance {} is being rebuilt from image {}", id, imageId);
        RpcContext context = caller.toRpcContext(requestId);
        casts.send(id, "rebuild", before, () -> taskManager.rebuild(context, id, imageId));
    }

    /**
     * Management {@code stop}: the guest stops the database (Trove's stop_db). Nothing is recorded first; the
     * guest's next heartbeat shows the database shut down.
     */
    public void mgmtStop(AuthContext caller, String id, String requestId) {
        InstanceTask task = tx.execute(s -> loader.lock(caller, id).getTask());
        log.info("The database of instance {} is being stopped", id);
        RpcContext context = caller.toRpcContext(requestId);
        casts.send(id, "stop_db", task, () -> taskManager.stopDatabase(context, id));
    }

    /** Management {@code reset-task-status}: task NONE and the instance's running backups failed. */
    public void mgmtResetTaskStatus(AuthContext caller, String id) {
        tx.executeWithoutResult(s -> {
            Instance instance = loader.lock(caller, id);
            instance.setTask(InstanceTask.NONE);
            int failed = backups.failRunning(id);
            log.info("Instance {}: task reset to NONE, {} running backups failed", id, failed);
        });
    }

    private Flavor flavor(String id) {
        return (id == null ? Optional.<Flavor>empty() : flavors.find(id))
                .orElseThrow(() -> ApiException.badRequest("Resource " + id + " cannot be found."));
    }

    /** Trove's ClusterInstanceOperationNotSupported; a restart is allowed to admins. */
    private static void refuseClusterMember(Instance instance, boolean allowed) {
        if (instance.getClusterId() != null && !allowed) {
            throw ApiException.notImplemented("Operation not supported for instances that are part of a cluster.");
        }
    }
}
