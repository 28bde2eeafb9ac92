package org.trovej.api.instance;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import org.trovej.api.pitr.RestoreTimes;
import org.trovej.api.validation.AccountSchemas;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;

/**
 * Reads {@code POST /instances} bodies: Trove's create schema (apischema.instance["create"]) with its messages,
 * then the values the rest of the request works with. Nothing is looked up here.
 */
@Component
class CreateRequestReader {

    private static final Set<String> NIC_KEYS = Set.of("net-id", "network_id", "subnet_id", "ip_address");

    private final ObjectMapper mapper;

    CreateRequestReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    CreateInstanceSpec read(JsonNode body) {
        Violations v = Violations.create();
        validate(v, body);
        v.throwIfAny();
        JsonNode instance = body.get("instance");
        JsonNode volume = instance.get("volume");
        JsonNode datastore = instance.get("datastore");
        boolean volumeGiven = volume != null && volume.isObject() && !volume.isEmpty();
        boolean datastoreGiven = datastore != null && datastore.isObject() && !datastore.isEmpty();
        return new CreateInstanceSpec(instance.get("name").textValue(), idFromHref(instance.get("flavorRef")),
                volumeGiven, volumeGiven ? new BigInteger(volume.get("size").asText()) : null,
                volumeGiven ? text(volume.get("type")) : null, datastoreGiven,
                datastoreGiven ? text(datastore.get("type")) : null,
                datastoreGiven ? text(datastore.get("version")) : null,
                datastoreGiven ? text(datastore.get("version_number")) : null,
                databases(instance.get("databases")), users(instance.get("users")),
                instance.has("restorePoint") ? idFromHref(instance.get("restorePoint").get("backupRef")) : null,
                text(instance.get("replica_of")),
                instance.hasNonNull("replica_count") ? instance.get("replica_count").intValue() : null,
                text(instance.get("availability_zone")), instance.get("nics"),
                truthy(instance.get("configuration")) ? idFromHref(instance.get("configuration")) : null,
                text(instance.get("locality")), text(instance.get("region_name")),
                instance.hasNonNull("access") ? mapper.convertValue(instance.get("access"),
                        new TypeReference<Map<String, Object>>() { }) : null,
                instance.has("restorePoint") ? RestoreTimes.parse(instance.get("restorePoint").get("restoreTime"))
                        : null);
    }

    private static void validate(Violations v, JsonNode body) {
        if (!Schemas.object(v, "", body) || !Schemas.required(v, "", body, "instance")) {
            return;
        }
        String path = "instance";
        JsonNode instance = body.get("instance");
        if (!Schemas.object(v, path, instance)) {
            return;
        }
        Schemas.required(v, path, instance, "name");
        check(v, path, instance, "name", Schemas::nonEmptyString);
        check(v, path, instance, "configuration_id", Schemas::uuidOrNull);
        check(v, path, instance, "flavorRef", Schemas::flavorRef);
        check(v, path, instance, "volume", CreateRequestReader::volume);
        check(v, path, instance, "databases", AccountSchemas::databasesDef);
        check(v, path, instance, "users", AccountSchemas::usersList);
        check(v, path, instance, "restorePoint", (w, p, n) -> {
            if (Schemas.object(w, p, n) && Schemas.required(w, p, n, "backupRef")) {
                // TroveJ's point-in-time restore: an optional moment besides the backup
                check(w, p, n, "restoreTime", RestoreTimes::valid);
                return Schemas.uuid(w, Violations.key(p, "backupRef"), n.get("backupRef"));
            }
            return false;
        });
        check(v, path, instance, "replica_of", Schemas::uuid);
        check(v, path, instance, "replica_count", (w, p, n) -> Schemas.integer(w, p, n, 1, 3));
        check(v, path, instance, "availability_zone", Schemas::nonEmptyString);
        check(v, path, instance, "datastore", (w, p, n) -> {
            if (!Schemas.object(w, p, n)) {
                return false;
            }
            for (String key : List.of("type", "version", "version_number")) {
                check(w, p, n, key, Schemas::nonEmptyString);
            }
            return true;
        });
        check(v, path, instance, "nics", CreateRequestReader::nics);
        check(v, path, instance, "modules", (w, p, n) -> {
            if (!Schemas.array(w, p, n, null, false)) {
                return false;
            }
            for (int i = 0; i < n.size(); i++) {
                String item = Violations.index(p, i);
                if (Schemas.object(w, item, n.get(i)) && Schemas.required(w, item, n.get(i), "id")) {
                    Schemas.uuid(w, Violations.key(item, "id"), n.get(i).get("id"));
                }
            }
            return true;
        });
        check(v, path, instance, "region_name", Schemas::nonEmptyString);
        check(v, path, instance, "locality", Schemas::nonEmptyString);
        check(v, path, instance, "access", (w, p, n) -> Schemas.access(w, p, n, false));
    }

    private static boolean volume(Violations v, String path, JsonNode n) {
        if (!Schemas.object(v, path, n)) {
            return false;
        }
        boolean ok = Schemas.required(v, path, n, "size");
        if (n.has("size")) {
            ok &= Schemas.volumeSize(v, Violations.key(path, "size"), n.get("size"));
        }
        if (n.has("type")) {
            ok &= Schemas.nonEmptyStringOrNull(v, Violations.key(path, "type"), n.get("type"));
        }
        return ok;
    }

    private static boolean nics(Violations v, String path, JsonNode n) {
        if (!Schemas.array(v, path, n, 1, false)) {
            return false;
        }
        for (int i = 0; i < n.size(); i++) {
            String item = Violations.index(path, i);
            JsonNode nic = n.get(i);
            if (!Schemas.object(v, item, nic)) {
                continue;
            }
            Schemas.onlyProperties(v, item, nic, NIC_KEYS);
            for (String key : List.of("net-id", "network_id", "subnet_id")) {
                check(v, item, nic, key, Schemas::uuid);
            }
            check(v, item, nic, "ip_address", Schemas::ipV4);
        }
        return true;
    }

    /** A property's schema applies only when the property is there. */
    private static void check(Violations v, String path, JsonNode object, String key, Schemas.Check check) {
        if (object.has(key)) {
            check.check(v, Violations.key(path, key), object.get(key));
        }
    }

    private static List<CreateInstanceSpec.DatabaseSpec> databases(JsonNode n) {
        List<CreateInstanceSpec.DatabaseSpec> out = new ArrayList<>();
        if (n != null) {
            n.forEach(db -> out.add(new CreateInstanceSpec.DatabaseSpec(db.get("name").textValue(),
                    text(db.get("character_set")), text(db.get("collate")))));
        }
        return out;
    }

    private static List<CreateInstanceSpec.UserSpec> users(JsonNode n) {
        List<CreateInstanceSpec.UserSpec> out = new ArrayList<>();
        if (n != null) {
            n.forEach(u -> {
                List<String> dbs = new ArrayList<>();
                if (u.has("databases")) {
                    u.get("databases").forEach(db -> dbs.add(db.get("name").textValue()));
                }
                out.add(new CreateInstanceSpec.UserSpec(u.get("name").textValue(), u.get("password").textValue(),
                        text(u.get("host")), dbs));
            });
        }
        return out;
    }

    /** Trove's get_id_from_href: the last segment of the URL's path (a plain id is its own last segment). */
    static String idFromHref(JsonNode ref) {
        if (ref == null || ref.isNull()) {
            return null;
        }
        String href = ref.asText();
        String path = href;
        int scheme = href.indexOf("://");
        if (scheme >= 0) {
            int slash = href.indexOf('/', scheme + 3);
            path = slash < 0 ? "" : href.substring(slash);
        }
        int cut = path.length();
        for (char c : new char[] {'?', '#'}) {
            int at = path.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        path = path.substring(0, cut);
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static boolean truthy(JsonNode n) {
        return n != null && !n.isNull() && !(n.isTextual() && n.textValue().isEmpty())
                && !(n.isContainerNode() && n.isEmpty()) && !(n.isNumber() && n.asDouble() == 0)
                && !(n.isBoolean() && !n.booleanValue());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
