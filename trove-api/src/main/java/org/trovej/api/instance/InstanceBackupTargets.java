package org.trovej.api.instance;

import org.springframework.stereotype.Component;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.backup.BackupInstances;
import org.trovej.api.error.ApiException;

/** The instance side of {@link BackupInstances}: the same lookup and "instance busy" check every action makes. */
@Component
class InstanceBackupTargets implements BackupInstances {

    private final InstanceLoader loader;

    InstanceBackupTargets(InstanceLoader loader) {
        this.loader = loader;
    }

    @Override
    public Target lockForBackup(AuthContext caller, String instanceId) {
        Instance instance = loader.lock(caller, instanceId);
        loader.actionState(instance, loader.serviceStatus(instance)).requireActionable(instanceId);
        if (instance.getClusterId() != null) {
            throw ApiException.notImplemented("Operation not supported for instances that are part of a cluster.");
        }
        return new Target(instance.getId(), instance.getTenantId(), instance.getDatastoreVersionId());
    }

    @Override
    public String visibleOwner(AuthContext caller, String instanceId) {
        return loader.visible(caller, instanceId).getTenantId();
    }
}
