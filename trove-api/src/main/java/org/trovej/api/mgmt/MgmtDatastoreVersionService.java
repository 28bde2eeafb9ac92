package org.trovej.api.mgmt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.backup.BackupRepository;
import org.trovej.api.configuration.ConfigurationRepository;
import org.trovej.api.datastore.ConfigurationParameterRecords;
import org.trovej.api.datastore.Datastore;
import org.trovej.api.datastore.DatastoreRepository;
import org.trovej.api.datastore.DatastoreVersion;
import org.trovej.api.datastore.DatastoreVersionRepository;
import org.trovej.api.datastore.DatastoreVersionRow;
import org.trovej.api.error.ApiException;
import org.trovej.api.instance.InstanceRepository;
import org.trovej.api.validation.PythonRepr;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;
import org.trovej.common.configuration.ParameterCatalogues;
import org.trovej.common.configuration.ParameterRule;

/**
 * {@code /mgmt/datastore-versions} (trove/extensions/mgmt/datastores): how an operator registers a datastore
 * version and its image. Trove's schema and checks: the image (an id or tags) is required; the datastore is
 * created when it does not exist; a duplicate name and version is 400; a version in use cannot be deleted (400).
 * There is no Glance here, so the image is recorded, not looked up. A deleted version's parameters and its place
 * as a datastore's default go with it (the schema's ON DELETE CASCADE and SET NULL). A new version gets the
 * configuration parameters of TroveJ's catalogue for its manager and version number, when there is one.
 */
@Service
public class MgmtDatastoreVersionService {

    private static final Logger log = LoggerFactory.getLogger(MgmtDatastoreVersionService.class);
    private static final Set<String> CREATE_KEYS = Set.of("name", "datastore_name", "datastore_manager", "packages",
            "image", "image_tags", "registry_ext", "repl_strategy", "active", "default", "version");
    private static final Set<String> EDIT_KEYS = Set.of("datastore_manager", "packages", "image", "image_tags",
            "registry_ext", "repl_strategy", "active", "default", "name");

    private final DatastoreVersionRepository versions;
    private final DatastoreRepository datastores;
    private final InstanceRepository instances;
    private final BackupRepository backups;
    private final ConfigurationRepository configurations;
    private final ConfigurationParameterRecords parameters;
    private final TransactionTemplate tx;

    public MgmtDatastoreVersionService(DatastoreVersionRepository versions, DatastoreRepository datastores,
                                       InstanceRepository instances, BackupRepository backups,
                                       ConfigurationRepository configurations,
                                       ConfigurationParameterRecords parameters, TransactionTemplate tx) {
        this.versions = versions;
        this.datastores = datastores;
        this.instances = instances;
        this.backups = backups;
        this.configurations = configurations;
        this.parameters = parameters;
        this.tx = tx;
    }

    public List<DatastoreVersionRow> list() {
        return versions.findAllWithDatastore();
    }

    /** By UUID; unknown is 400, as Trove's DatastoreVersionNotFound maps. */
    public DatastoreVersionRow show(String id) {
        return versions.findWithDatastore(id).orElseThrow(() -> notFound(id));
    }

    public void create(JsonNode body) {
        JsonNode version = validateCreate(body);
        String name = version.get("name").textValue();
        String datastoreName = version.get("datastore_name").textValue();
        String manager = version.get("datastore_manager").textValue();
        String image = text(version, "image");
        List<String> tags = strings(version.get("image_tags"));
        if (image == null && (tags == null || tags.isEmpty())) {
            throw ApiException.badRequest("Image must be specified.");
        }
        String versionNumber = version.hasNonNull("version") ? version.get("version").textValue() : name;
        boolean active = version.get("active").booleanValue();
        boolean isDefault = version.path("default").asBoolean(false);
        tx.executeWithoutResult(s -> {
            String datastoreId = datastoreId(datastoreName);
            if (versions.findByDatastoreIdAndNameAndVersion(datastoreId, name, versionNumber).isPresent()) {
                throw alreadyExists(name, versionNumber);
            }
            String id = UUID.randomUUID().toString();
            // flushed: the parameters below reference it
            versions.saveAndFlush(new DatastoreVersion(id, datastoreId, name, versionNumber, manager, image,
                    join(tags), join(strings(version.get("packages"))), active, text(version, "registry_ext"),
                    text(version, "repl_strategy")));
            if (isDefault) {
                datastores.makeDefault(datastoreId, id);
            }
            // TroveJ's catalogue of the version's configuration parameters, read from the engine itself
            List<ParameterRule> rules = ParameterCatalogues.rules(manager, versionNumber).orElse(List.of());
            int seeded = rules.isEmpty() ? 0 : parameters.seed(id, rules);
            log.info("Datastore version {} ({} {}, manager {}) registered for datastore {}, {} configuration "
                    + "parameters", id, name, versionNumber, manager, datastoreName, seeded);
        });
    }

    /** PATCH with an unwrapped body: what is given changes, the rest stays. */
    public void edit(String id, JsonNode body) {
        validateEdit(body);
        tx.executeWithoutResult(s -> {
            DatastoreVersion current = versions.lockById(id).orElseThrow(() -> notFound(id));
            String name = body.hasNonNull("name") ? body.get("name").textValue() : current.getName();
            String manager = body.hasNonNull("datastore_manager") ? body.get("datastore_manager").textValue()
                    : current.getManager();
            String image = text(body, "image");
            List<String> tags = strings(body.get("image_tags"));
            if (image == null && tags != null && !tags.isEmpty()) {
                // tags alone replace the image id
                image = "";
            }
            if (image == null) {
                image = current.getImageId();
            }
            String tagText = tags == null ? current.getImageTags() : join(tags);
            if ((image == null || image.isEmpty()) && (tagText == null || tagText.isEmpty())) {
                throw ApiException.badRequest("Image must be specified.");
            }
            boolean active = body.hasNonNull("active") ? body.get("active").booleanValue() : current.isActive();
            String packages = body.has("packages") ? join(strings(body.get("packages"))) : current.getPackages();
            String registryExt = body.hasNonNull("registry_ext") ? body.get("registry_ext").textValue()
                    : current.getRegistryExt();
            String replStrategy = body.hasNonNull("repl_strategy") ? body.get("repl_strategy").textValue()
                    : current.getReplStrategy();
            String datastoreId = current.getDatastoreId();
            if (!name.equals(current.getName()) && versions.findByDatastoreIdAndNameAndVersion(datastoreId, name,
                    current.getVersion()).isPresent()) {
                throw alreadyExists(name, current.getVersion());
            }
            current.update(name, manager, image.isEmpty() ? null : image, tagText, packages, active, registryExt,
                    replStrategy);
            JsonNode isDefault = body.get("default");
            if (isDefault != null && isDefault.booleanValue()) {
                datastores.makeDefault(datastoreId, id);
            } else if (isDefault != null && !isDefault.isNull() && isDefault(datastoreId, id)) {
                datastores.clearDefault(datastoreId);
            }
            log.info("Datastore version {} updated: {}", id, body);
        });
    }

    /** Refused (400) while instances, backups or configuration groups use the version; its parameters go too. */
    public void delete(String id) {
        tx.executeWithoutResult(s -> {
            if (instances.existsByDatastoreVersionIdAndDeletedFalse(id)) {
                throw inUseBy("instance");
            }
            if (backups.existsByDatastoreVersionIdAndDeletedFalse(id)) {
                throw inUseBy("backup");
            }
            if (configurations.existsByDatastoreVersionIdAndDeletedFalse(id)) {
                throw inUseBy("configuration");
            }
            DatastoreVersion version = versions.lockById(id).orElseThrow(() -> notFound(id));
            String datastoreName = datastores.findById(version.getDatastoreId()).map(Datastore::getName).orElse(null);
            versions.delete(version);
            log.info("Datastore version {} ({} {}) of datastore {} deleted", id, version.getName(),
                    version.getVersion(), datastoreName);
        });
    }

    private boolean isDefault(String datastoreId, String versionId) {
        return datastores.findById(datastoreId).map(d -> versionId.equals(d.getDefaultVersionId())).orElse(false);
    }

    /** Trove's Datastore.load(name) (by id or name), else a new datastore of that name. */
    private String datastoreId(String idOrName) {
        return datastores.findById(idOrName).or(() -> datastores.findByName(idOrName)).map(Datastore::getId)
                .orElseGet(() -> {
                    String id = UUID.randomUUID().toString();
                    datastores.save(new Datastore(id, idOrName));
                    log.info("Datastore {} created ({})", idOrName, id);
                    return id;
                });
    }

    private static JsonNode validateCreate(JsonNode body) {
        Violations v = Violations.create();
        if (!Schemas.object(v, "", body) || !Schemas.required(v, "", body, "version")) {
            v.throwIfAny();
        }
        JsonNode version = body.get("version");
        String path = "version";
        if (Schemas.object(v, path, version)) {
            Schemas.required(v, path, version, "name", "datastore_name", "datastore_manager", "active");
            Schemas.onlyProperties(v, path, version, CREATE_KEYS);
            fields(v, path, version);
        }
        v.throwIfAny();
        return version;
    }

    private static void validateEdit(JsonNode body) {
        Violations v = Violations.create();
        if (Schemas.object(v, "", body)) {
            Schemas.onlyProperties(v, "", body, EDIT_KEYS);
            fields(v, "", body);
        }
        v.throwIfAny();
    }

    /** The properties both schemas share. */
    private static void fields(Violations v, String path, JsonNode object) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = Violations.key(path, field.getKey());
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "name", "datastore_name", "datastore_manager", "registry_ext", "repl_strategy", "version" ->
                        Schemas.nonEmptyString(v, at, value);
                case "image" -> Schemas.uuid(v, at, value);
                case "packages" -> items(v, at, value, null, 255);
                case "image_tags" -> items(v, at, value, 5, 20);
                case "active", "default" -> {
                    if (!value.isBoolean()) {
                        v.add(at, PythonRepr.of(value) + " is not one of [True, False]");
                    }
                }
                default -> { }
            }
        }
    }

    private static void items(Violations v, String path, JsonNode array, Integer maxItems, int maxLength) {
        if (Schemas.array(v, path, array, maxItems, true)) {
            for (int i = 0; i < array.size(); i++) {
                Schemas.string(v, Violations.index(path, i), array.get(i), 1, maxLength, "^.*[0-9a-zA-Z]+.*$");
            }
        }
    }

    private static String text(JsonNode object, String key) {
        JsonNode value = object.get(key);
        return value == null || value.isNull() ? null : value.textValue();
    }

    private static List<String> strings(JsonNode array) {
        if (array == null || array.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.textValue()));
        return out;
    }

    private static String join(List<String> items) {
        return items == null || items.isEmpty() ? null : String.join(",", items);
    }

    /** Trove's view: tags and packages as lists, {@code [""]} when there are none. */
    public static Map<String, Object> view(DatastoreVersionRow row) {
        DatastoreVersion version = row.version();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", version.getId());
        view.put("name", version.getName());
        view.put("version", version.getVersion());
        view.put("datastore_id", version.getDatastoreId());
        view.put("datastore_name", row.datastore().getName());
        view.put("datastore_manager", version.getManager());
        view.put("image", version.getImageId());
        view.put("image_tags", split(version.getImageTags()));
        view.put("packages", split(version.getPackages()));
        view.put("active", version.isActive());
        view.put("registry_ext", version.getRegistryExt());
        view.put("repl_strategy", version.getReplStrategy());
        view.put("default", row.isDefault());
        return view;
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of("") : Arrays.asList(joined.split(","));
    }

    static ApiException notFound(String id) {
        return ApiException.badRequest("Datastore version '" + id + "' cannot be found.");
    }

    private static ApiException inUseBy(String user) {
        return ApiException.badRequest("Datastore version is in use by " + user + ".");
    }

    private static ApiException alreadyExists(String name, String version) {
        return ApiException.badRequest("The datastore version '" + name + "(" + version + ")' already exists.");
    }
}
