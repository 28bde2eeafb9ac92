package org.trovej.taskmanager.replication;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.datastore.ConfigTemplates;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.service.flavor.FlavorCatalog;
import org.trovej.taskmanager.flow.FaultText;
import org.trovej.taskmanager.instance.InstanceRecords;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * The parts promote and eject share (Trove's taskmanager/manager.py sequences, trove-rpc.md §6.5): a replica made
 * the source, and the other replicas made to follow it.
 */
@Component
public class ReplicationSteps {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSteps.class);

    private final ReplicationGuests guests;
    private final InstanceRecords records;
    private final ConfigTemplates templates;
    private final FlavorCatalog flavors;

    public ReplicationSteps(ReplicationGuests guests, InstanceRecords records, ConfigTemplates templates,
                            FlavorCatalog flavors) {
        this.guests = guests;
        this.records = records;
        this.templates = templates;
        this.flavors = flavors;
    }

    /** The candidate stops following its source and becomes a writable source itself. */
    public void makeSource(RpcContext context, String candidate) {
        guests.detachReplica(context, candidate, true);
        guests.enableAsMaster(context, candidate, config(candidate));
        guests.makeReadOnly(context, candidate, false);
    }

    /**
     * Each of {@code replicas} follows {@code source}: detached from the old source (Trove's order) and attached to
     * the new one, restarted. One that fails is recorded (task PROMOTION_ERROR or EJECTION_ERROR, a fault) and the
     * others go on, as in Trove.
     *
     * @return the replicas that could not be switched
     */
    public List<String> repoint(RpcContext context, String source, List<String> replicas, InstanceTask errorTask,
                                String operation) {
        List<String> failed = new ArrayList<>();
        if (replicas.isEmpty()) {
            return failed;
        }
        ObjectNode replicaContext = guests.replicaContext(context, source);
        for (String replica : replicas) {
            try {
                guests.detachReplica(context, replica, true);
                guests.attachReplica(context, replica, replicaContext, config(replica), true);
                log.info("Replica {} follows {} now", replica, source);
            } catch (RuntimeException e) {
                failed.add(replica);
                records.setTask(replica, errorTask);
                records.recordFault(replica, operation + ": this replica could not be switched to the new source "
                        + source + ": " + FaultText.reason(e), "Server type: taskmanager\n" + e);
                log.error("Replica {} could not be switched to {}: {}", replica, source, e.toString());
            }
        }
        return failed;
    }

    /** Trove's rendered configuration for the instance's flavor (its guests read it; TroveJ's do not need it). */
    public String config(String instanceId) {
        InstanceRow row = records.find(instanceId).orElse(null);
        if (row == null || row.flavorId() == null || row.datastoreManager() == null) {
            return null;
        }
        return flavors.find(row.flavorId()).map(f -> templates.render(row.datastoreManager(), f)).orElse(null);
    }
}
