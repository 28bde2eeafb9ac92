package org.trovej.taskmanager.upgrade;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.upgrade.UpgradeInfo;
import org.trovej.taskmanager.TaskManagerProperties;
import org.trovej.taskmanager.datastore.DatastoreRecords;
import org.trovej.taskmanager.flow.FlowRun;
import org.trovej.taskmanager.flow.InstanceFlow;
import org.trovej.taskmanager.flow.InstanceFlowParts;
import org.trovej.taskmanager.flow.ServerWaits;
import org.trovej.taskmanager.flow.Step;
import org.trovej.taskmanager.flow.StepFailure;

/**
 * {@code upgrade} (Trove's taskmanager/models.py {@code upgrade}): the instance moved to another version of its
 * datastore. The version's settings are looked up first (the local back end: that version's programs on this host),
 * so a version the back end cannot run changes nothing → the guest's {@code pre_upgrade} → the guest's
 * {@code upgrade} converts the data (PostgreSQL across majors: pg_upgrade) and leaves the database stopped; a
 * failure there puts the old data back and starts it, so the instance runs its old version → the server is switched
 * to the new version (its guest agent restarted with the new programs) → the database is started → healthy → the new
 * version recorded, task NONE → the guest's {@code post_upgrade} removes the old data. Trove records the new version
 * before anything runs; TroveJ only once the instance runs it, so a failed upgrade leaves the version it still runs.
 */
@Component
public class UpgradeFlow extends InstanceFlow {

    public static final String NAME = "upgrade";
    private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(10);
    /** pg_upgrade copies every data file: as long as the data takes, within reason. */
    private static final Duration CONVERSION_TIMEOUT = Duration.ofHours(2);
    private static final String AFTER = "the upgrade";

    private final DatastoreRecords datastores;
    private final ServerWaits waits;

    public UpgradeFlow(InstanceFlowParts parts, TaskManagerProperties properties, DatastoreRecords datastores) {
        super(NAME, "settings", "upgrade", parts);
        this.datastores = datastores;
        this.waits = new ServerWaits(compute, records, properties.pollInterval());
    }

    @Override
    protected ObjectNode initialData(RpcArgs args) {
        ObjectNode data = PythonJson.object();
        data.put("datastore_version_id", args.text("datastore_version_id"));
        return data;
    }

    @Override
    protected void execute(RpcContext context, FlowRun run) {
        String id = run.instanceId();
        String versionId = run.data().path("datastore_version_id").asText();
        DatastoreRecords.VersionRow version = datastores.findVersion(versionId)
                .orElseThrow(() -> new StepFailure("datastore version " + versionId + " is gone"));
        // what the steps hand on; a resumed flow looks the settings up again (they are the host's, not the request's)
        Map<String, String> settings = new LinkedHashMap<>();
        engine.execute(run, List.of(
                        new Step("settings", r -> settings(id, version, settings)),
                        new Step("convert", r -> convert(context, id, version, settings(id, version, settings))),
                        new Step("switch_server", r -> compute.switchDatastoreVersion(serverId(id), version.manager(),
                                version.name(), settings(id, version, settings))),
                        new Step("start_db", r -> guests.callHigh(context, id, "restart", PythonJson.object())),
                        new Step("await_healthy", r -> waits.awaitHealthy(id, HEALTHY_TIMEOUT, AFTER)),
                        new Step("record_version", r -> records.upgraded(id, versionId)),
                        new Step("post_upgrade", r -> postUpgrade(context, id, version))),
                r -> store.close(r, () -> {
                    records.setTask(id, InstanceTask.NONE);
                    log.info("Instance {} upgraded to datastore version {} ({})", id, version.name(),
                            version.version());
                }),
                (r, step, cause) -> closeWithFault(r, step, cause, "The instance could not be upgraded to datastore "
                        + "version " + version.name() + ": ", () -> records.setTask(id, InstanceTask.NONE)));
    }

    /** The version's settings: looked up by the first step, again by a flow resumed past it. */
    private Map<String, String> settings(String id, DatastoreRecords.VersionRow version, Map<String, String> found) {
        if (found.isEmpty()) {
            found.putAll(compute.datastoreSettingsFor(serverId(id), version.manager(), version.name(),
                    version.version()));
        }
        return found;
    }

    /** The guest's pre_upgrade and upgrade: one step, as the upgrade's info is pre_upgrade's answer. */
    private void convert(RpcContext context, String id, DatastoreRecords.VersionRow version,
                         Map<String, String> settings) {
        JsonNode prepared = guests.callHigh(context, id, "pre_upgrade", PythonJson.object());
        ObjectNode info = new UpgradeInfo(version.name(), version.version(), settings).toWire(prepared);
        ObjectNode args = PythonJson.object();
        args.set("upgrade_info", info);
        guests.call(context, id, "upgrade", args, CONVERSION_TIMEOUT);
    }

    /** The old data is no longer needed; a guest that cannot remove it keeps it (logged, the upgrade stands). */
    private void postUpgrade(RpcContext context, String id, DatastoreRecords.VersionRow version) {
        ObjectNode args = PythonJson.object();
        args.set("upgrade_info", new UpgradeInfo(version.name(), version.version(), Map.of()).toWire(null));
        try {
            guests.callHigh(context, id, "post_upgrade", args);
        } catch (RuntimeException e) {
            log.warn("Instance {}: post_upgrade failed, the old data stays on the volume: {}", id, e.getMessage());
        }
    }
}
