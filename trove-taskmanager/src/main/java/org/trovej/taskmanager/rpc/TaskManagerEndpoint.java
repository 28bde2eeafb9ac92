package org.trovej.taskmanager.rpc;

import org.springframework.stereotype.Component;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.taskmanager.backup.CreateBackupFlow;
import org.trovej.taskmanager.backup.DeleteBackupTask;
import org.trovej.taskmanager.create.CreateInstanceFlow;
import org.trovej.taskmanager.database.RestartFlow;
import org.trovej.taskmanager.database.StopDatabaseFlow;
import org.trovej.taskmanager.delete.DeleteInstanceFlow;
import org.trovej.taskmanager.reboot.RebootFlow;
import org.trovej.taskmanager.rebuild.RebuildFlow;
import org.trovej.taskmanager.upgrade.UpgradeFlow;
import org.trovej.taskmanager.replication.DetachReplicaFlow;
import org.trovej.taskmanager.replication.EjectFlow;
import org.trovej.taskmanager.replication.PromoteFlow;
import org.trovej.taskmanager.resize.ResizeFlavorFlow;
import org.trovej.taskmanager.resize.ResizeVolumeFlow;

/**
 * Trove's task manager API, version 1.0 (taskmanager/manager.py): each method starts its flow ({@code stop_db} is
 * TroveJ's: Trove's API calls the guest for it directly); {@code create_backup} and {@code delete_backup} as Trove's
 * (taskmanager/manager.py), the replication methods, {@code rebuild} and {@code upgrade}. The other methods of Trove's
 * task manager (clusters, ...) are not offered yet; a cast
 * of one is logged and dropped as oslo does with an unknown method.
 */
@Component
public class TaskManagerEndpoint {

    public static final String VERSION = "1.0";

    private final CreateInstanceFlow create;
    private final DeleteInstanceFlow delete;
    private final RestartFlow restart;
    private final ResizeFlavorFlow resizeFlavor;
    private final ResizeVolumeFlow resizeVolume;
    private final RebootFlow reboot;
    private final StopDatabaseFlow stopDatabase;
    private final CreateBackupFlow createBackup;
    private final DeleteBackupTask deleteBackup;
    private final PromoteFlow promote;
    private final EjectFlow eject;
    private final DetachReplicaFlow detach;
    private final RebuildFlow rebuild;
    private final UpgradeFlow upgrade;

    public TaskManagerEndpoint(CreateInstanceFlow create, DeleteInstanceFlow delete,
                               RestartFlow restart, ResizeFlavorFlow resizeFlavor, ResizeVolumeFlow resizeVolume,
                               RebootFlow reboot, StopDatabaseFlow stopDatabase, CreateBackupFlow createBackup,
                               DeleteBackupTask deleteBackup, PromoteFlow promote, EjectFlow eject,
                               DetachReplicaFlow detach, RebuildFlow rebuild, UpgradeFlow upgrade) {
        this.promote = promote;
        this.eject = eject;
        this.detach = detach;
        this.rebuild = rebuild;
        this.upgrade = upgrade;
        this.create = create;
        this.delete = delete;
        this.restart = restart;
        this.resizeFlavor = resizeFlavor;
        this.resizeVolume = resizeVolume;
        this.reboot = reboot;
        this.stopDatabase = stopDatabase;
        this.createBackup = createBackup;
        this.deleteBackup = deleteBackup;
    }

    public RpcEndpoint build() {
        return RpcEndpoint.builder(VERSION)
                .async("create_instance", create::start)
                .async("delete_instance", delete::start)
                .async("restart", restart::start)
                .async("resize_flavor", resizeFlavor::start)
                .async("resize_volume", resizeVolume::start)
                .async("reboot", reboot::start)
                .async("rebuild", rebuild::start)
                .async("upgrade", upgrade::start)
                .async("stop_db", stopDatabase::start)
                .async("create_backup", createBackup::start)
                .async("delete_backup", deleteBackup::start)
                .async("promote_to_replica_source", promote::start)
                .async("eject_replica_source", eject::start)
                .async("detach_replica", detach::start)
                .build();
    }
}
