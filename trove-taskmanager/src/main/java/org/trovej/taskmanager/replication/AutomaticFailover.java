package org.trovej.taskmanager.replication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * TroveJ's automatic failover (off unless {@code trovej.replication.automatic-failover}): a source whose guest has
 * been silent for {@code failover-after} while a replica of it reports healthy is ejected by the task manager, the
 * same {@link EjectFlow} a user's {@code eject_replica_source} runs, marked automatic in the faults it leaves. The
 * eject fences the old source before anything is promoted, so a source that was only cut off cannot go on taking
 * writes beside the new one. Trove leaves a dead source dead until someone ejects it.
 */
@Component
public class AutomaticFailover {

    private static final Logger log = LoggerFactory.getLogger(AutomaticFailover.class);

    private final ReplicationProperties properties;
    private final InstanceRecords records;
    private final EjectFlow eject;
    private final TransactionTemplate tx;

    public AutomaticFailover(ReplicationProperties properties, InstanceRecords records, EjectFlow eject,
                             TransactionTemplate tx) {
        this.properties = properties;
        this.records = records;
        this.eject = eject;
        this.tx = tx;
    }

    public boolean enabled() {
        return properties.automaticFailover();
    }

    public void tick() {
        if (!enabled()) {
            return;
        }
        for (String source : records.silentSourcesWithHealthyReplicas(properties.failoverAfter().toSeconds())) {
            Boolean claimed = tx.execute(s -> records.claimReplicationSet(source, InstanceTask.EJECTING));
            if (Boolean.TRUE.equals(claimed)) {
                log.warn("Automatic failover: the guest of source {} has been silent for over {} s; ejecting it",
                        source, properties.failoverAfter().toSeconds());
                eject.startAutomatic(source);
            }
        }
    }
}
