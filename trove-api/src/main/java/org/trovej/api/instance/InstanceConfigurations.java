package org.trovej.api.instance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.configuration.ConfigurationInstances;
import org.trovej.api.configuration.GroupValues;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.ServiceStatus;

/**
 * The instance side of {@link ConfigurationInstances}: which instances have a group, and a changed group taken to
 * each of them (Trove's _refresh_on_all_instances). An instance whose guest cannot answer now (not ACTIVE, its
 * database not up) is skipped with a warning instead of holding the request for the guest timeout; it gets the
 * group's values when it is attached again or rebuilt.
 */
@Component
class InstanceConfigurations implements ConfigurationInstances {

    private static final Logger log = LoggerFactory.getLogger(InstanceConfigurations.class);
    private static final Set<ServiceStatus> ANSWERING = Set.of(ServiceStatus.RUNNING, ServiceStatus.HEALTHY,
            ServiceStatus.RESTART_REQUIRED, ServiceStatus.BLOCKED);

    private final InstanceRepository instances;
    private final InstanceServiceStatusRepository statuses;
    private final OverridesRollout rollout;
    private final TransactionTemplate tx;

    InstanceConfigurations(InstanceRepository instances, InstanceServiceStatusRepository statuses,
                           OverridesRollout rollout, TransactionTemplate tx) {
        this.instances = instances;
        this.statuses = statuses;
        this.rollout = rollout;
        this.tx = tx;
    }

    @Override
    public long countAttached(String configurationId, String tenantId) {
        return instances.countWithConfiguration(configurationId, tenantId);
    }

    @Override
    public List<Attached> attached(String configurationId, String tenantId, String marker, int limit) {
        return instances.withConfiguration(configurationId, tenantId, marker, Limit.of(limit)).stream()
                .map(i -> new Attached(i.getId(), i.getName())).toList();
    }

    @Override
    public void refresh(AuthContext caller, GroupValues changed, GroupValues previous, String requestId) {
        RpcContext context = caller.toRpcContext(requestId);
        List<String> targets = tx.execute(s -> instances.withConfiguration(changed.configurationId(), null, "",
                Limit.unlimited()).stream().filter(this::answering).map(Instance::getId).toList());
        List<String> done = new ArrayList<>();
        for (String id : targets) {
            try {
                rollout.change(context, id, changed, previous);
                done.add(id);
            } catch (RuntimeException e) {
                log.warn("Instance {} refused the changed configuration group {}; the instances already changed "
                        + "get its previous values back", id, changed.configurationId());
                for (String back : done) {
                    try {
                        rollout.change(context, back, previous, changed);
                    } catch (RuntimeException again) {
                        log.error("Instance {} could not get configuration group {}'s previous values back: {}",
                                back, changed.configurationId(), again.toString());
                    }
                }
                throw e;
            }
        }
    }

    private boolean answering(Instance instance) {
        boolean up = "ACTIVE".equals(instance.getServerStatus()) && statuses.findByInstanceId(instance.getId())
                .map(s -> ANSWERING.contains(s.getStatus())).orElse(false);
        if (!up) {
            log.warn("Instance {} is not running; the change of its configuration group {} is not sent to it",
                    instance.getId(), instance.getConfigurationId());
        }
        return up;
    }
}
