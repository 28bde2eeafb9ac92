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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.error.ApiException;
import org.trovej.api.validation.PythonRepr;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;

/**
 * {@code /mgmt/datastore-versions} (trove/extensions/mgmt/datastores): how an operator registers a datastore
 * version and its image. Trove's schema and checks: the image (an id or tags) is required; the datastore is
 * created when it does not exist; a duplicate name and version is 400; a version in use cannot be deleted (400).
 * There is no Glance here, so the image is recorded, not looked up.
 */
@Service
public class MgmtDatastoreVersionService {

    private static final Logger log = LoggerFactory.getLogger(MgmtDatastoreVersionService.class);
    private static final Set<String> CREATE_KEYS = Set.of("name", "datastore_name", "datastore_manager", "packages",
            "image", "image_tags", "registry_ext", "repl_strategy", "active", "default", "version");
    private static final Set<String> EDIT_KEYS = Set.of("datastore_manager", "packages", "image", "image_tags",
            "registry_ext", "repl_strategy", "active", "default", "name");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public MgmtDatastoreVersionService(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** A version row with its datastore, as the mgmt view needs it. */
    public record Row(String id, String name, String version, String datastoreId, String datastoreName,
                      String manager, String image, String imageTags, String packages, boolean active,
                      String registryExt, String replStrategy, boolean isDefault) {
    }

    private static final String SELECT = "SELECT v.id, v.name, v.version, v.datastore_id, d.name AS datastore_name, "
            + "v.manager, v.image_id, v.image_tags, v.packages, v.active, v.registry_ext, v.repl_strategy, "
            + "(d.default_version_id IS NOT DISTINCT FROM v.id) AS is_default "
            + "FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id ";

    private List<Row> query(String where, Object... args) {
        return jdbc.query(SELECT + where, (rs, n) -> new Row(rs.getString("id"), rs.getString("name"),
                rs.getString("version"), rs.getString("datastore_id"), rs.getString("datastore_name"),
                rs.getString("manager"), rs.getString("image_id"), rs.getString("image_tags"),
                rs.getString("packages"), rs.getBoolean("active"), rs.getString("registry_ext"),
                rs.getString("repl_strategy"), rs.getBoolean("is_default")), args);
    }

    public List<Row> list() {
        return query("ORDER BY d.name, v.name, v.version");
    }

    /** By UUID; unknown is 400, as Trove's DatastoreVersionNotFound maps. */
    public Row show(String id) {
        return query("WHERE v.id = ?", id).stream().findFirst().orElseThrow(() -> notFound(id));
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
            if (jdbc.queryForObject("SELECT count(*) FROM datastore_versions WHERE datastore_id = ? AND name = ? "
                    + "AND version = ?", Integer.class, datastoreId, name, versionNumber) > 0) {
                throw alreadyExists(name, versionNumber);
            }
            String id = UUID.randomUUID().toString();
            jdbc.update("INSERT INTO datastore_versions (id, datastore_id, name, version, manager, image_id, "
                    + "image_tags, packages, active, registry_ext, repl_strategy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id, datastoreId, name, versionNumber, manager, image, join(tags), join(strings(version.get("packages"))),
                    active, text(version, "registry_ext"), text(version, "repl_strategy"));
            if (isDefault) {
                jdbc.update("UPDATE datastores SET default_version_id = ? WHERE id = ?", id, datastoreId);
            }
            log.info("Datastore version {} ({} {}, manager {}) registered for datastore {}", id, name, versionNumber,
                    manager, datastoreName);
        });
    }

    /** PATCH with an unwrapped body: what is given changes, the rest stays. */
    public void edit(String id, JsonNode body) {
        validateEdit(body);
        tx.executeWithoutResult(s -> {
            Row current = query("WHERE v.id = ? FOR UPDATE OF v", id).stream().findFirst()
                    .orElseThrow(() -> notFound(id));
            String name = body.hasNonNull("name") ? body.get("name").textValue() : current.name();
            String manager = body.hasNonNull("datastore_manager") ? body.get("datastore_manager").textValue()
                    : current.manager();
            String image = text(body, "image");
            List<String> tags = strings(body.get("image_tags"));
            if (image == null && tags != null && !tags.isEmpty()) {
                // tags alone replace the image id
                image = "";
            }
            if (image == null) {
                image = current.image();
            }
            String tagText = tags == null ? current.imageTags() : join(tags);
            if ((image == null || image.isEmpty()) && (tagText == null || tagText.isEmpty())) {
                throw ApiException.badRequest("Image must be specified.");
            }
            boolean active = body.hasNonNull("active") ? body.get("active").booleanValue() : current.active();
            String packages = body.has("packages") ? join(strings(body.get("packages"))) : current.packages();
            String registryExt = body.hasNonNull("registry_ext") ? body.get("registry_ext").textValue()
                    : current.registryExt();
            String replStrategy = body.hasNonNull("repl_strategy") ? body.get("repl_strategy").textValue()
                    : current.replStrategy();
            if (!name.equals(current.name()) && jdbc.queryForObject("SELECT count(*) FROM datastore_versions WHERE "
                    + "datastore_id = ? AND name = ? AND version = ?", Integer.class, current.datastoreId(), name,
                    current.version()) > 0) {
                throw alreadyExists(name, current.version());
            }
            jdbc.update("UPDATE datastore_versions SET name = ?, manager = ?, image_id = ?, image_tags = ?, "
                    + "packages = ?, active = ?, registry_ext = ?, repl_strategy = ? WHERE id = ?", name, manager,
                    image.isEmpty() ? null : image, tagText, packages, active, registryExt, replStrategy, id);
            JsonNode isDefault = body.get("default");
            if (isDefault != null && isDefault.booleanValue()) {
                jdbc.update("UPDATE datastores SET default_version_id = ? WHERE id = ?", id, current.datastoreId());
            } else if (isDefault != null && !isDefault.isNull() && current.isDefault()) {
                jdbc.update("UPDATE datastores SET default_version_id = NULL WHERE id = ?", current.datastoreId());
            }
            log.info("Datastore version {} updated: {}", id, body);
        });
    }

    /** Refused (400) while instances, backups or configuration groups use the version; its parameters go too. */
    public void delete(String id) {
        tx.executeWithoutResult(s -> {
            for (String[] user : new String[][] {{"instances", "instance"}, {"backups", "backup"},
                    {"configurations", "configuration"}}) {
                if (jdbc.queryForObject("SELECT count(*) FROM " + user[0] + " WHERE datastore_version_id = ? "
                        + "AND deleted = false", Integer.class, id) > 0) {
                    throw ApiException.badRequest("Datastore version is in use by " + user[1] + ".");
                }
            }
            Row version = query("WHERE v.id = ? FOR UPDATE OF v", id).stream().findFirst()
                    .orElseThrow(() -> notFound(id));
            jdbc.update("DELETE FROM datastore_configuration_parameters WHERE datastore_version_id = ?", id);
            jdbc.update("UPDATE datastores SET default_version_id = NULL WHERE default_version_id = ?", id);
            jdbc.update("DELETE FROM datastore_versions WHERE id = ?", id);
            log.info("Datastore version {} ({} {}) of datastore {} deleted", id, version.name(), version.version(),
                    version.datastoreName());
        });
    }

    /** Trove's Datastore.load(name) (by id or name), else a new datastore of that name. */
    private String datastoreId(String idOrName) {
        List<String> found = jdbc.queryForList("SELECT id FROM datastores WHERE id = ? OR name = ? ORDER BY "
                + "(id = ?) DESC LIMIT 1", String.class, idOrName, idOrName, idOrName);
        if (!found.isEmpty()) {
            return found.get(0);
        }
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO datastores (id, name) VALUES (?, ?)", id, idOrName);
        log.info("Datastore {} created ({})", idOrName, id);
        return id;
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
    public static Map<String, Object> view(Row row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", row.id());
        view.put("name", row.name());
        view.put("version", row.version());
        view.put("datastore_id", row.datastoreId());
        view.put("datastore_name", row.datastoreName());
        view.put("datastore_manager", row.manager());
        view.put("image", row.image());
        view.put("image_tags", split(row.imageTags()));
        view.put("packages", split(row.packages()));
        view.put("active", row.active());
        view.put("registry_ext", row.registryExt());
        view.put("repl_strategy", row.replStrategy());
        view.put("default", row.isDefault());
        return view;
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of("") : Arrays.asList(joined.split(","));
    }

    static ApiException notFound(String id) {
        return ApiException.badRequest("Datastore version '" + id + "' cannot be found.");
    }

    private static ApiException alreadyExists(String name, String version) {
        return ApiException.badRequest("The datastore version '" + name + "(" + version + ")' already exists.");
    }
}
