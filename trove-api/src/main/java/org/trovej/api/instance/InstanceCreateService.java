package org.trovej.api.instance;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.ApiProperties;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.backup.Backup;
import org.trovej.api.configuration.ConfigurationService;
import org.trovej.api.configuration.GroupValues;
import org.trovej.api.backup.BackupService;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.error.ApiException;
import org.trovej.api.guest.DatastoreRules;
import org.trovej.api.instance.CreateInstanceSpec.DatabaseSpec;
import org.trovej.api.instance.CreateInstanceSpec.UserSpec;
import org.trovej.api.pitr.PointInTimeRestores;
import org.trovej.service.quota.QuotaResources;
import org.trovej.service.quota.QuotaService;
import org.trovej.service.quota.Reservations;
import org.trovej.api.web.Timestamps;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.json.PythonJson;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;
import org.trovej.common.guest.GuestSchema;
import org.trovej.common.guest.GuestUser;
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.service.flavor.FlavorCatalog;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.service.taskmanager.TaskManagerClient;

/**
 * {@code POST /instances}: every check Trove makes (trove/instance/service.py create, models.py
 * Instance.create), in Trove's order, before anything is written; then the instance and its service status in
 * one transaction; then, once committed, the {@code create_instance} cast. A refused request writes nothing
 * and casts nothing.
 */
@Service
public class InstanceCreateService {

    private static final Logger log = LoggerFactory.getLogger(InstanceCreateService.class);
    private static final List<String> LOCALITIES = List.of("affinity", "soft-affinity", "anti-affinity",
            "soft-anti-affinity");

    private final CreateRequestReader reader;
    private final DatastoreService datastores;
    private final FlavorCatalog flavors;
    private final BackupService backups;
    private final InstanceRepository instances;
    private final InstanceServiceStatusRepository statuses;
    private final InstanceKeyStore keys;
    private final TaskManagerClient taskManager;
    private final TaskCasts casts;
    private final TransactionTemplate tx;
    private final TransactionTemplate readOnly;
    private final Policy policy;
    private final ApiProperties properties;
    private final QuotaService quotas;
    private final ConfigurationService configurations;
    private final PointInTimeRestores pointsInTime;

    public InstanceCreateService(CreateRequestReader reader, DatastoreService datastores, FlavorCatalog flavors,
                                 BackupService backups, InstanceRepository instances,
                                 InstanceServiceStatusRepository statuses, InstanceKeyStore keys,
                                 TaskManagerClient taskManager, TaskCasts casts, TransactionTemplate tx,
                                 Policy policy, ApiProperties properties, QuotaService quotas,
                                 ConfigurationService configurations, PointInTimeRestores pointsInTime) {
        this.configurations = configurations;
        this.pointsInTime = pointsInTime;
        this.reader = reader;
        this.datastores = datastores;
        this.flavors = flavors;
        this.backups = backups;
        this.instances = instances;
        this.statuses = statuses;
        this.keys = keys;
        this.taskManager = taskManager;
        this.casts = casts;
        this.tx = tx;
        this.readOnly = new TransactionTemplate(tx.getTransactionManager());
        this.readOnly.setReadOnly(true);
        this.policy = policy;
        this.properties = properties;
        this.quotas = quotas;
    }

    /** Managers whose guests replicate (Trove's replication_strategy is set for them). */
    private static final Set<String> REPLICATING_MANAGERS = Set.of("postgresql", "mysql", "mariadb");

    /**
     * What was checked and is about to be written.
     *
     * @param sourceId a replica's source, else null
     * @param count    how many instances: a replica_count's replicas, else 1
     */
    private record Plan(CreateInstanceSpec spec, DatastoreService.Resolved datastore, Flavor flavor, int volumeSize,
                        List<GuestSchema> databases, List<GuestUser> users, String region,
                        GroupValues configuration, String sourceId, int count) {
    }

    public InstanceViews.Loaded create(AuthContext caller, JsonNode body, String requestId) {
        policy.enforce(caller, "instance:create", caller.projectId());
        CreateInstanceSpec spec = reader.read(body);
        // what Trove's create checks besides instance:create, for the parts the request has
        if (spec.configurationId() != null) {
            policy.enforce(caller, "instance:update", caller.projectId());
        }
        if (spec.databases() != null && !spec.databases().isEmpty()) {
            policy.enforce(caller, "instance:extension:database:create", caller.projectId());
        }
        if (spec.users() != null && !spec.users().isEmpty()) {
            policy.enforce(caller, "instance:extension:user:create", caller.projectId());
        }
        Plan plan = readOnly.execute(s -> plan(caller, spec));
        List<String> ids = new ArrayList<>();
        List<InstanceKeyStore.NewKey> newKeys = new ArrayList<>();
        for (int n = 0; n < plan.count(); n++) {
            ids.add(UUID.randomUUID().toString());
            newKeys.add(keys.newKey());
        }
        // Trove's run_with_quotas around the write and the cast: reserved (and refused with 413 before anything
        // is written), committed once the task manager has the request, rolled back if it never gets it
        Reservations reservations = quotas.reserve(caller.projectId(), deltas(plan));
        List<InstanceViews.Loaded> created;
        try {
            created = tx.execute(s -> {
                List<InstanceViews.Loaded> written = new ArrayList<>();
                for (int n = 0; n < ids.size(); n++) {
                    // Trove names the replicas of a replica_count <name>-1 .. <name>-N
                    String name = plan.count() > 1 ? spec.name() + "-" + (n + 1) : spec.name();
                    written.add(write(caller, ids.get(n), name, plan, newKeys.get(n)));
                }
                return written;
            });
        } catch (RuntimeException e) {
            quotas.rollback(reservations);
            throw e;
        }
        for (String id : ids) {
            log.info("Instance {} ({}) created for project {}: flavor {}, {} {}, volume {} GB{}", id, spec.name(),
                    caller.projectId(), plan.flavor().id(), plan.datastore().datastore().getName(),
                    plan.datastore().version().getName(), plan.volumeSize(),
                    plan.sourceId() == null ? "" : ", replica of " + plan.sourceId());
        }
        // one create_instance per replica (Trove sends one with a list of ids): each is seeded from its own snapshot
        for (int n = 0; n < ids.size(); n++) {
            String id = ids.get(n);
            String name = created.get(n).instance().getName();
            try {
                casts.send(id, "create_instance", InstanceTask.BUILDING_ERROR_SERVER,
                        () -> taskManager.createInstance(caller.toRpcContext(requestId), castArguments(id, name,
                                plan)));
            } catch (RuntimeException e) {
                quotas.rollback(reservations);
                ids.subList(n, ids.size()).forEach(this::abandon);
                throw e;
            }
        }
        quotas.commit(reservations);
        // Trove answers with the last instance it created
        return created.get(created.size() - 1);
    }

    /** What the instance counts against its project's quotas (Trove: instances, ram, and the volume). */
    private static Map<String, Integer> deltas(Plan plan) {
        Map<String, Integer> deltas = new LinkedHashMap<>();
        // every replica of a replica_count counts (Trove reserves for one only)
        deltas.put(QuotaResources.INSTANCES, plan.count());
        deltas.put(QuotaResources.RAM, plan.flavor().ram() * plan.count());
        deltas.put(QuotaResources.VOLUMES, plan.volumeSize() * plan.count());
        return deltas;
    }

    /**
     * A create the task manager never heard of was refused (500) and its quota given back, so its record must not
     * stay behind as an instance whose later delete would free quota it never held: it is marked deleted.
     */
    private void abandon(String id) {
        try {
            tx.executeWithoutResult(s -> instances.lockById(id).ifPresent(Instance::markAbandoned));
        } catch (RuntimeException e) {
            log.error("Instance {}, whose create could not be cast, could not be marked deleted", id, e);
        }
    }

    private Plan plan(AuthContext caller, CreateInstanceSpec spec) {
        if (spec.replicaOf() != null) {
            return replicaPlan(caller, spec);
        } else if (spec.replicaCount() != null && spec.replicaCount() > 1) {
            throw ApiException.badRequest("Replica count only valid when creating replicas. Cannot create "
                    + spec.replicaCount() + " instances.");
        }
        DatastoreService.Resolved datastore = datastores.resolveForCreate(spec.datastoreType(),
                spec.datastoreVersion(), spec.datastoreVersionNumber());
        DatastoreRules reserved = DatastoreRules.of(datastore.version().getManager());
        List<GuestSchema> databases = databases(spec.databases(), reserved);
        List<GuestUser> users = users(spec.users(), databases, reserved);
        // Trove's Configuration.find: the caller's group (404), of the instance's datastore version
        GroupValues configuration = spec.configurationId() == null ? null
                : configurations.forInstance(caller, spec.configurationId(), datastore.version().getId());
        checkNics(spec.nics());
        if (spec.locality() != null && !LOCALITIES.contains(spec.locality())) {
            throw ApiException.badRequest("Invalid locality '" + spec.locality() + "'. Must be one of ['"
                    + String.join("', '", LOCALITIES) + "']");
        }
        String region = region(spec);
        List<String> bound = datastores.boundFlavorIds(datastore.version().getId());
        if (!bound.isEmpty() && !bound.contains(spec.flavorId())) {
            throw ApiException.badRequest("Flavor " + spec.flavorId() + " is not supported for datastore version "
                    + datastore.version().getId());
        }
        Flavor flavor = (spec.flavorId() == null ? Optional.<Flavor>empty() : flavors.find(spec.flavorId()))
                .orElseThrow(() -> ApiException.badRequest("Resource " + spec.flavorId() + " cannot be found."));
        int volumeSize = checkVolumeSize(spec.volumeSize());
        if (spec.backupId() != null) {
            // Trove checks the backup once the volume it must fit on is known; the datastore (and its default
            // version) is the request's, as in Trove: the backup only has to be of the same datastore
            Backup named = backups.checkRestore(caller, spec.backupId(), datastore.datastore().getName(),
                    volumeSize);
            if (spec.restoreTime() != null) {
                // TroveJ's point-in-time restore: the moment must be in the named backup's instance's window, and
                // the backup it starts from (the newest that ended before the moment) must fit as the named one does
                String base = pointsInTime.requireRestorable(named, spec.restoreTime());
                if (!base.equals(named.getId())) {
                    backups.checkRestore(caller, base, datastore.datastore().getName(), volumeSize);
                }
            }
        }
        return new Plan(spec, datastore, flavor, volumeSize, databases, users, region, configuration, null, 1);
    }

    private InstanceViews.Loaded write(AuthContext caller, String id, String name, Plan plan,
                                       InstanceKeyStore.NewKey key) {
        CreateInstanceSpec spec = plan.spec();
        Instance instance = instances.save(Instance.building(id, name, caller.projectId(),
                plan.flavor().id(), plan.volumeSize(), spec.volumeType(), plan.datastore().version().getId(),
                plan.region(), spec.availabilityZone(), key == null ? null : key.sealed(), spec.access()));
        instance.followSource(plan.sourceId());
        if (plan.configuration() != null) {
            // prepare writes the group's values before the database first starts: no restart is needed
            instance.attachConfiguration(plan.configuration().configurationId());
        }
        InstanceServiceStatus status = statuses.save(InstanceServiceStatus.initial(UUID.randomUUID().toString(), id,
                instance.getCreated()));
        InstanceState state = new InstanceState(instance.getTask(), instance.getServerStatus(), ServiceStatus.NEW,
                false);
        InstanceViews.Loaded loaded = new InstanceViews.Loaded(instance, state, status, plan.datastore(), null,
                List.of());
        return plan.configuration() == null ? loaded
                : loaded.withConfigurationName(plan.configuration().name());
    }

    private CreateInstanceRequest castArguments(String id, String name, Plan plan) {
        CreateInstanceSpec spec = plan.spec();
        var version = plan.datastore().version();
        return CreateInstanceRequest.builder(id, name, plan.flavor(), version.getManager())
                .imageId(version.getImageId())
                .databases(plan.databases())
                .users(plan.users())
                .packages(packages(version.getPackages()))
                .volumeSize(plan.volumeSize())
                .availabilityZone(spec.availabilityZone())
                .nics(nics(spec.nics()))
                .overrides(plan.configuration() == null ? PythonJson.object() : plan.configuration().overrides())
                .volumeType(spec.volumeType())
                .modules(PythonJson.array())
                .locality(spec.locality() == null ? null : PythonJson.nodes().textNode(spec.locality()))
                .access(spec.access() == null ? null : PythonJson.MAPPER.valueToTree(spec.access()))
                .dsVersion(version.getVersion())
                .backupId(spec.backupId())
                .restoreTime(spec.restoreTime())
                .slaveOfId(plan.sourceId())
                .build();
    }

    /**
     * A replica (Trove's checks, in its order): no flavor, datastore, volume or locality of its own, since it takes
     * its source's; a source the caller can see that is not itself a replica, of a datastore that replicates, ready
     * for an action; no databases or users (they come from the source). {@code replica_count} replicas at once.
     */
    private Plan replicaPlan(AuthContext caller, CreateInstanceSpec spec) {
        if (spec.flavorId() != null && !spec.flavorId().isEmpty()) {
            throw ApiException.badRequest("Cannot specify flavor when creating replicas.");
        }
        if (spec.datastoreGiven()) {
            throw ApiException.badRequest("Cannot specify datastore when creating replicas.");
        }
        if (spec.volumeGiven()) {
            throw ApiException.badRequest("Cannot specify volume when creating replicas.");
        }
        if (spec.locality() != null) {
            throw ApiException.badRequest("Cannot specify locality when creating replicas.");
        }
        Instance source = instances.findByIdAndDeletedFalse(spec.replicaOf())
                .filter(i -> caller.admin() || caller.projectId().equals(i.getTenantId()))
                .orElseThrow(() -> ApiException.resourceNotFound(spec.replicaOf()));
        if (source.getSlaveOfId() != null) {
            throw ApiException.unauthorized("Cannot create a replica of a replica " + spec.replicaOf());
        }
        if ((spec.databases() != null && !spec.databases().isEmpty())
                || (spec.users() != null && !spec.users().isEmpty())) {
            throw ApiException.badRequest("Cannot create a replica with users or databases.");
        }
        DatastoreService.Resolved datastore = source.getDatastoreVersionId() == null ? null
                : datastores.resolveAll(Set.of(source.getDatastoreVersionId())).get(source.getDatastoreVersionId());
        if (datastore == null) {
            throw ApiException.badRequest("Instance " + source.getId() + " has no datastore version.");
        }
        GroupValues configuration = spec.configurationId() == null ? null
                : configurations.forInstance(caller, spec.configurationId(), datastore.version().getId());
        checkNics(spec.nics());
        if (spec.nics() != null && spec.nics().isArray()) {
            for (JsonNode nic : spec.nics()) {
                if (nic.hasNonNull("ip_address")) {
                    throw ApiException.badRequest("Cannot specify IP address when creating replicas.");
                }
            }
        }
        String region = region(spec);
        Flavor flavor = flavors.find(source.getFlavorId())
                .orElseThrow(() -> ApiException.badRequest("Resource " + source.getFlavorId() + " cannot be found."));
        if (!REPLICATING_MANAGERS.contains(datastore.version().getManager())) {
            throw ApiException.badRequest("Replication is not supported for the '" + datastore.datastore().getName()
                    + "' datastore.");
        }
        InstanceServiceStatus status = statuses.findByInstanceId(source.getId())
                .orElseThrow(() -> ApiException.resourceNotFound(source.getId()));
        // a running backup does not stop a replica (Trove's check would: status BACKUP): the replica's seed is a
        // backup itself, so the second replica of a pair asked for at once would be refused while the first seeds;
        // the source's guest takes the backups one after the other
        new InstanceState(source.getTask(), source.getServerStatus(), status.getStatus(), false)
                .requireActionable(source.getId());
        int volumeSize = source.getVolumeSize() == null ? Math.max(1, flavor.disk()) : source.getVolumeSize();
        int count = spec.replicaCount() == null ? 1 : spec.replicaCount();
        return new Plan(spec, datastore, flavor, volumeSize, List.of(), List.of(), region, configuration,
                source.getId(), count);
    }

    /** The request's region, which must be this service's. */
    private String region(CreateInstanceSpec spec) {
        String region = spec.regionName() == null ? properties.region() : spec.regionName();
        if (!region.equals(properties.region())) {
            throw ApiException.badRequest("Region '" + region + "' is not available; this service runs instances "
                    + "in '" + properties.region() + "'.");
        }
        return region;
    }

    /** Trove's populate_validated_databases. */
    private static List<GuestSchema> databases(List<DatabaseSpec> specs, DatastoreRules reserved) {
        Set<String> seen = new HashSet<>();
        return specs.stream().map(db -> {
            try {
                reserved.checkReservedDb(db.name());
            } catch (DatastoreRules.Invalid e) {
                throw ApiException.badRequest(e.getMessage());
            }
            if (!seen.add(db.name())) {
                throw ApiException.badRequest("Two or more databases share the same name in the initial databases "
                        + "list. Please correct the names or remove the duplicate entries.");
            }
            return new GuestSchema(db.name(), db.collate(), db.characterSet());
        }).toList();
    }

    /** Trove's populate_users: unique (name, host), not reserved, and only databases being created. */
    private static List<GuestUser> users(List<UserSpec> specs, List<GuestSchema> databases,
                                         DatastoreRules reserved) {
        Set<String> created = databases.stream().map(GuestSchema::name).collect(Collectors.toSet());
        Set<List<String>> seen = new HashSet<>();
        return specs.stream().map(user -> {
            String host = user.host() == null ? "%" : user.host();
            try {
                reserved.checkReservedUser(user.name());
            } catch (DatastoreRules.Invalid e) {
                throw ApiException.badRequest(e.getMessage());
            }
            if (!seen.add(List.of(user.name(), host))) {
                throw ApiException.badRequest("Two or more users share the same name and host in the initial users "
                        + "list. Please correct the names or remove the duplicate entries.");
            }
            for (String db : user.databases()) {
                if (!created.contains(db)) {
                    throw ApiException.badRequest("The request indicates that user " + user.name() + " should have "
                            + "access to database " + db + ", but database " + db + " is not included in the "
                            + "initial databases list.");
                }
            }
            return GuestUser.withAccess(user.name(), user.password(), host, user.databases());
        }).toList();
    }

    /** Trove's _check_nic, without Neutron: a network or a subnet must be named, an address needs a subnet. */
    private static void checkNics(JsonNode nics) {
        if (nics == null || nics.isNull()) {
            return;
        }
        for (JsonNode nic : nics) {
            boolean network = nic.hasNonNull("network_id") || nic.hasNonNull("net-id");
            boolean subnet = nic.hasNonNull("subnet_id");
            if (!network && !subnet) {
                throw ApiException.badRequest("Instance network or subnet needs to be specified.");
            }
            if (!subnet && nic.hasNonNull("ip_address")) {
                throw ApiException.badRequest("Instance subnet needs to be specified.");
            }
        }
    }

    /** The nics as Trove casts them: {@code net-id} renamed to {@code network_id}. */
    private static JsonNode nics(JsonNode nics) {
        ArrayNode out = PythonJson.array();
        if (nics != null && nics.isArray()) {
            for (JsonNode nic : nics) {
                ObjectNode copy = ((ObjectNode) nic).deepCopy();
                JsonNode netId = copy.remove("net-id");
                if (!copy.hasNonNull("network_id") && netId != null) {
                    copy.set("network_id", netId);
                }
                out.add(copy);
            }
        }
        return out;
    }

    /** Trove's validate_volume_size (every datastore here keeps its data on a volume). */
    private int checkVolumeSize(BigInteger size) {
        if (size == null) {
            throw ApiException.badRequest("Volume size was not specified.");
        }
        int max = properties.maxAcceptedVolumeSize();
        if (size.compareTo(BigInteger.valueOf(max)) > 0) {
            throw ApiException.overLimit("Volume 'size' cannot exceed maximum of " + max + " GB, " + size
                    + " cannot be accepted.");
        }
        return size.intValueExact();
    }

    private static List<String> packages(String packages) {
        return packages == null ? null : Arrays.stream(packages.split(",")).map(String::trim)
                .filter(p -> !p.isEmpty()).toList();
    }

}
