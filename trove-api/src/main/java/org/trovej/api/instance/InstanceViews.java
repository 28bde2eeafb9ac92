package org.trovej.api.instance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.pitr.RestoreWindowView;
import org.trovej.api.schedule.BackupScheduleView;
import org.trovej.api.web.Link;
import org.trovej.api.web.Links;
import org.trovej.api.web.Timestamps;

/**
 * Trove's instance views (trove/instance/views.py): the summary of lists and the detail of show, create and
 * {@code /instances/detail}. Optional keys are left out when they do not apply; keys Trove always writes are
 * written even when null.
 */
public final class InstanceViews {

    private InstanceViews() {
    }

    @JsonInclude(Include.NON_NULL)
    public record InstanceView(@JsonInclude(Include.ALWAYS) String id, @JsonInclude(Include.ALWAYS) String name,
                               String status, @JsonProperty("operating_status") String operatingStatus,
                               List<Link> links, FlavorRef flavor, DatastoreRef datastore,
                               @JsonInclude(Include.ALWAYS) String region, Map<String, Object> access,
                               @JsonProperty("tenant_id") String tenantId, Volume volume, String hostname,
                               List<String> ip, List<Map<String, Object>> addresses,
                               @JsonProperty("replica_of") InstanceRef replicaOf, List<InstanceRef> replicas,
                               @JsonUnwrapped Detail detail, @JsonUnwrapped AdminDetail admin) {
    }

    public record FlavorRef(String id, List<Link> links) {
    }

    @JsonInclude(Include.NON_NULL)
    public record DatastoreRef(@JsonInclude(Include.ALWAYS) String type, @JsonInclude(Include.ALWAYS) String version,
                               @JsonProperty("version_number") String versionNumber) {
    }

    /** {@code used}: GB, only in the detail view, once the guest has reported it. */
    @JsonInclude(Include.NON_NULL)
    public record Volume(int size, Double used) {
    }

    public record InstanceRef(String id, List<Link> links) {
    }

    /** The keys of the detail view. */
    @JsonInclude(Include.NON_NULL)
    public record Detail(@JsonInclude(Include.ALWAYS) String created, @JsonInclude(Include.ALWAYS) String updated,
                         @JsonProperty("service_status_updated") @JsonInclude(Include.ALWAYS)
                         String serviceStatusUpdated,
                         Fault fault, @JsonProperty("cluster_id") String clusterId,
                         @JsonProperty("shard_id") String shardId, ConfigurationRef configuration,
                         @JsonProperty("backup_schedule") BackupScheduleView backupSchedule,
                         @JsonProperty("restore_window") RestoreWindowView restoreWindow) {
    }

    /** The attached configuration group, as Trove's detail view shows it. */
    public record ConfigurationRef(String id, String name, List<Link> links) {
    }

    /** Details are the fault's internals (a trace): admins only. */
    public record Fault(String message, String created, String details) {
    }

    public record AdminDetail(@JsonProperty("server_id") String serverId, @JsonProperty("volume_id") String volumeId,
                              @JsonProperty("encrypted_rpc_messaging") boolean encryptedRpcMessaging) {
    }

    public record InstanceShow(InstanceView instance) {
    }

    /** {@code links} is absent, not empty, when there is no next page. */
    @JsonInclude(Include.NON_NULL)
    public record InstanceList(@JsonInclude(Include.ALWAYS) List<InstanceView> instances, List<Link> links) {
    }

    /** Everything a view is made from. */
    public record Loaded(Instance instance, InstanceState state, InstanceServiceStatus serviceStatus,
                         DatastoreService.Resolved datastore, InstanceFault fault, List<String> replicaIds,
                         String configurationName, BackupScheduleView backupSchedule,
                         RestoreWindowView restoreWindow) {

        public Loaded(Instance instance, InstanceState state, InstanceServiceStatus serviceStatus,
                      DatastoreService.Resolved datastore, InstanceFault fault, List<String> replicaIds) {
            this(instance, state, serviceStatus, datastore, fault, replicaIds, null, null, null);
        }

        /** The attached configuration group's name, which only the detail view shows. */
        Loaded withConfigurationName(String name) {
            return new Loaded(instance, state, serviceStatus, datastore, fault, replicaIds, name, backupSchedule,
                    restoreWindow);
        }

        /**
         * TroveJ's extensions, which only the detail view shows: the backup schedule and the point-in-time restore
         * window.
         */
        Loaded withExtensions(BackupScheduleView schedule, RestoreWindowView window) {
            return new Loaded(instance, state, serviceStatus, datastore, fault, replicaIds, configurationName,
                    schedule, window);
        }
    }

    public static InstanceView summary(Loaded loaded, Links links, boolean admin) {
        return view(loaded, links, admin, false);
    }

    public static InstanceView detail(Loaded loaded, Links links, boolean admin) {
        return view(loaded, links, admin, true);
    }

    private static InstanceView view(Loaded loaded, Links links, boolean admin, boolean detailed) {
        Instance i = loaded.instance();
        DatastoreService.Resolved ds = loaded.datastore();
        DatastoreRef datastore = ds == null ? new DatastoreRef(null, null, null)
                : new DatastoreRef(ds.datastore().getName(), ds.version().getName(),
                detailed ? ds.version().getVersion() : null);
        // Trove shows a volume whenever the datastore's manager uses volumes, which all of ours do. Its show asks
        // the guest for the space used (get_volume_info) and waits on it; here it is the figure TroveJ's guest put in
        // its newest heartbeat (at most 30 s old), so show never waits on a guest.
        Double used = detailed && loaded.serviceStatus() != null ? loaded.serviceStatus().getVolumeUsed() : null;
        Volume volume = ds == null || i.getVolumeSize() == null ? null : new Volume(i.getVolumeSize(), used);
        List<Map<String, Object>> addresses = i.getHostname() == null && i.getAddresses() != null
                && !i.getAddresses().isEmpty() ? i.getAddresses() : null;
        List<String> ip = addresses == null ? null
                : addresses.stream().map(a -> String.valueOf(a.get("address"))).toList();
        List<InstanceRef> replicas = loaded.replicaIds().isEmpty() ? null
                : loaded.replicaIds().stream().map(id -> new InstanceRef(id, links.resource("instances", id))).toList();
        InstanceRef replicaOf = i.getSlaveOfId() == null ? null
                : new InstanceRef(i.getSlaveOfId(), links.resource("instances", i.getSlaveOfId()));
        Detail detail = null;
        AdminDetail adminDetail = null;
        if (detailed) {
            InstanceFault f = loaded.fault();
            Fault fault = f == null ? null : new Fault(f.getMessage(), Timestamps.format(f.getUpdated()),
                    admin ? f.getDetails() : null);
            detail = new Detail(Timestamps.format(i.getCreated()), Timestamps.format(i.getUpdated()),
                    Timestamps.format(loaded.serviceStatus().getUpdatedAt()), fault, i.getClusterId(), i.getShardId(),
                    i.getConfigurationId() == null ? null : new ConfigurationRef(i.getConfigurationId(),
                            loaded.configurationName(), links.resource("configurations", i.getConfigurationId())),
                    loaded.backupSchedule(), loaded.restoreWindow());
            if (admin) {
                adminDetail = new AdminDetail(i.getComputeInstanceId(), i.getVolumeId(), i.getEncryptedKey() != null);
            }
        }
        return new InstanceView(i.getId(), i.getName(), loaded.state().status(), loaded.state().operatingStatus(),
                links.resource("instances", i.getId()),
                new FlavorRef(i.getFlavorId(), links.resource("flavors", i.getFlavorId())), datastore,
                i.getRegionId(), access(i.getAccess(), addresses), admin ? i.getTenantId() : null, volume,
                i.getHostname(), ip, addresses, replicaOf, replicas, detail, adminDetail);
    }

    /** The stored access, else whether a public address exists (when addresses are known), else {}. */
    static Map<String, Object> access(Map<String, Object> stored, List<Map<String, Object>> addresses) {
        if (stored != null && !stored.isEmpty()) {
            return stored;
        }
        Map<String, Object> derived = new LinkedHashMap<>();
        if (addresses != null) {
            derived.put("is_public", addresses.stream().anyMatch(a -> "public".equals(a.get("type"))));
        }
        return derived;
    }
}
