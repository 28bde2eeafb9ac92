package org.trovej.allinone.acceptance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A seeded generator of hostile requests over every endpoint of the Trove API (../shared/reference/trove-api.md)
 * and the compute and object-store subsets TroveJ serves: wrong methods, types, missing and extra keys, huge and
 * deep bodies, unicode and NUL bytes, ids that do not exist or cannot, bad query parameters and content types.
 * <p>
 * Safety by construction, so that "nothing changed" can be asserted: a POST, PUT, PATCH or DELETE either carries a
 * body broken beyond any reading (not JSON, not an object, a misnamed or mistyped required key) or names at least
 * one thing that does not exist; a DELETE always does the latter (it has no body to break). Each such request is
 * marked {@link HostileRequest#mustBeRefused()}.
 */
final class HostileRequests {

    /** The real things the requests may name: an ACTIVE instance with a database and a user, and the rest. */
    record Targets(String project, String instance, String database, String user, String flavor, String datastore,
                   String version, String parameter, String configuration) {
    }

    /**
     * How the requests identify themselves. Noauth: the path's project, and {@code X-Roles: admin} for the admin.
     * Keystone: the user's token mostly, else the admin's, another project's user's, a made-up one or none (and
     * an {@code X-Roles} header now and then, which must count for nothing).
     */
    record Credentials(String userToken, String adminToken, String otherProjectToken) {
        static Credentials noauth() {
            return new Credentials(null, null, null);
        }

        boolean keystone() {
            return userToken != null;
        }
    }

    /** Methods an endpoint answers; {@code bodies} are the valid bodies the generator starts from. */
    private record Endpoint(List<String> methods, String path, List<String> bodies, boolean admin) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");
    private static final List<String> ITEM_PLACEHOLDERS = List.of("i", "d", "u", "f", "ds", "v", "param", "c", "b");
    private static final List<String> ODD_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD",
            "OPTIONS", "TRACE", "PROPFIND", "FOO");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json",
            "application/json", "application/json; charset=UTF-8", "application/json; charset=utf-16",
            "application/json; charset=latin1", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz", "application/xml", "application/json;;;=", "*/*", "");
    private static final List<String> ACCEPTS = List.of("application/json", "application/json", "application/json",
            "*/*", "text/html", "application/xml", "text/plain;q=0.1", "");
    /** Ids and names that exist nowhere: encoded and raw NULs, traversal, unicode, huge, injection-looking. */
    private static final List<String> GARBAGE = List.of("0", "-1", "null", "%00", "a%00b", "%2e%2e", "..%2f..%2fetc",
            "%ff%fe", "%C0%AF", "%F0%9F%98%80", "\u00e9t\u00e9", "\ud83d\ude00", "%27%20OR%201%3D1%20--", "a%20b",
            "%2f", "%5c", "%5C%5C", "1e309", "${jndi:ldap:x}", "%3Cscript%3E", "{", "}", "x|y", "a^b", "`",
            "not-a-uuid", "00000000-0000-0000-0000-000000000000", "x".repeat(300), "%25", "%", "%zz", ";",
            "a;b=c", "%0d%0aX-Injected:%201", "\u202eevil", "%E2%80%AE", "~", "!", "@", "*");
    private static final List<String> QUERIES = List.of("?limit=-1", "?limit=abc", "?limit=99999999999999999999",
            "?limit=0", "?marker=%00", "?marker=" + "m".repeat(500), "?include_clustered=maybe", "?deleted=%ff",
            "?all_projects=1&project_id=%00", "?limit=1&limit=2", "?%zz=1", "?a=%", "?datastore=%F0%9F%98%80",
            "?instance_id=x%00y", "?project_id=" + "p".repeat(100), "?from_guest=%C0", "?=&&=", "?marker=%7B%7D",
            "?limit=1e3", "?include_certificate=%00");

    /**
     * Any text in any place: a schema error may quote what it refuses (as Trove's do), so only the password fields
     * carry the run's password.
     */
    private static final String NOT_SECRET = "hostile-text";

    private final Random random;
    private final Targets targets;
    private final Credentials credentials;
    private final String password;
    /** Writes the 3,000-deep bodies too (Jackson stops at 1,000 by default: the API's reader must refuse them). */
    private final ObjectMapper json = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder()
                    .maxNestingDepth(10_000).build()).build());
    private final List<Endpoint> endpoints;

    /** {@code password}: put wherever a password goes, so that a test can look for it where it must not be. */
    HostileRequests(long seed, Targets targets, Credentials credentials, String password) {
        this.random = new Random(seed);
        this.targets = targets;
        this.credentials = credentials;
        this.password = password;
        this.endpoints = endpoints(password);
    }

    HostileRequest next() {
        Endpoint endpoint = endpoints.get(random.nextInt(endpoints.size()));
        String method = random.nextInt(100) < 85 ? pick(endpoint.methods()) : pick(ODD_METHODS);
        Map<String, Boolean> garbageUsed = new LinkedHashMap<>();
        boolean writes = List.of("POST", "PUT", "PATCH", "DELETE").contains(method);
        boolean hasItem = PLACEHOLDER.matcher(endpoint.path()).results()
                .anyMatch(m -> ITEM_PLACEHOLDERS.contains(m.group(1)));
        if (method.equals("DELETE") && !hasItem) {
            method = "GET"; // a DELETE with nothing to name could only be valid (e.g. /backup_strategies)
            writes = false;
        }
        // a DELETE, and a write of something dangerous even with a broken body, names something that does not exist
        boolean forceGarbage = writes && (method.equals("DELETE") || endpoint.path().endsWith("/root"));
        String path = fill(endpoint.path(), forceGarbage, garbageUsed);
        boolean namesNothing = garbageUsed.values().stream().anyMatch(Boolean::booleanValue);
        if (random.nextInt(100) < 25) {
            path += pick(QUERIES);
        }

        Map<String, String> headers = new LinkedHashMap<>();
        String accept = pick(ACCEPTS);
        if (!accept.isEmpty()) {
            headers.put("Accept", accept);
        }
        boolean refusedForWho = false;
        if (credentials.keystone()) {
            // Nova's version document answers anyone, as Nova's does
            boolean projectScoped = endpoint.path().startsWith("/v1.0/{p}")
                    || endpoint.path().startsWith("/compute") && !endpoint.path().equals("/compute/v2.1/");
            int who = random.nextInt(100);
            if (who < 70) {
                headers.put("X-Auth-Token", credentials.userToken());
                // a member reads no management resource (but the quotas of the own project)
                refusedForWho = endpoint.admin() && !endpoint.path().contains("/mgmt/quotas/");
            } else if (who < 82) {
                headers.put("X-Auth-Token", credentials.adminToken());
            } else if (who < 88) {
                headers.put("X-Auth-Token", credentials.otherProjectToken());
                refusedForWho = endpoint.path().startsWith("/v1.0/{p}"); // another project's resources
            } else {
                if (who < 94) {
                    headers.put("X-Auth-Token", pick(GARBAGE).replace("{", "x").replace("}", "x"));
                }
                refusedForWho = projectScoped;
            }
            if (random.nextInt(100) < 10) {
                headers.put("X-Roles", "admin");
            }
        } else {
            if (endpoint.admin() ? random.nextInt(100) < 80 : random.nextInt(100) < 10) {
                headers.put("X-Roles", random.nextInt(10) == 0 ? "admin,\u00e9" : "admin");
            }
            if (random.nextInt(100) < 5) {
                headers.put("X-Auth-Token", pick(GARBAGE));
            }
        }
        byte[] body = null;
        String what = "read";
        if (writes && !method.equals("DELETE") || random.nextInt(100) < 5) {
            String base = fill(endpoint.bodies().isEmpty() ? "{}" : pick(endpoint.bodies()), false, new LinkedHashMap<>());
            boolean poison = writes && (!namesNothing || random.nextInt(100) < 60);
            String contentType = pick(CONTENT_TYPES);
            if (!contentType.isEmpty()) {
                headers.put("Content-Type", contentType);
            }
            Body built = body(base, poison, endpoint.path().endsWith("/action"));
            body = built.bytes();
            what = built.what();
        }
        // the version documents answer any method, as Trove's do: nothing there can change
        boolean mustBeRefused = writes && endpoint.path().length() > "/v1.0/".length() || refusedForWho;
        return new HostileRequest(method, path, headers, body, mustBeRefused,
                what + (namesNothing ? ", names nothing real" : "") + (refusedForWho ? ", not theirs" : ""));
    }

    private record Body(byte[] bytes, String what) {
    }

    private Body body(String base, boolean poison, boolean action) {
        JsonNode tree;
        try {
            tree = json.readTree(base);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a template is not JSON: " + base, e);
        }
        List<String> done = new ArrayList<>();
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            tree = mutate(tree, done);
        }
        if (!poison) {
            return new Body(serialise(tree), "mutated " + done);
        }
        // a value of another type under the one key breaks every body but an action's: Trove checks no schema for
        // most actions (reset_status, promote, eject: trove/common/apischema.py), and neither does TroveJ
        int kind = random.nextInt(tree.isObject() && tree.size() == 1 && tree.fields().next().getValue().isContainerNode()
                ? (action ? 4 : 5) : 3);
        switch (kind) {
            case 0 -> {
                byte[] text = serialise(tree);
                return new Body(java.util.Arrays.copyOf(text, 1 + random.nextInt(Math.max(1, text.length - 2))),
                        "poison: cut JSON " + done);
            }
            case 1 -> {
                String text = new String(serialise(tree), StandardCharsets.UTF_8);
                return new Body((text + pick(List.of("x", "}", "\u0000", ",", "]"))).getBytes(StandardCharsets.UTF_8),
                        "poison: trailing garbage " + done);
            }
            case 2 -> {
                return new Body(pick(List.of("[]", "[{}]", "\"instance\"", "0", "true", "[\"" + NOT_SECRET + "\"]",
                        "{\"password\":\"\u0000" + password + "\"", "\u0000", "\ufeff\ufeff{}"))
                        .getBytes(StandardCharsets.UTF_8),
                        "poison: not an object");
            }
            case 3 -> {
                // the one top-level key misnamed: nothing the API reads is there
                ObjectNode renamed = JsonNodeFactory.instance.objectNode();
                var only = tree.fields().next();
                renamed.set(pick(List.of(only.getKey() + "x", only.getKey().toUpperCase(), "", only.getKey() + "\u0000",
                        "_" + only.getKey())), only.getValue());
                return new Body(serialise(renamed), "poison: top key renamed " + done);
            }
            default -> {
                // the wrapped object replaced by something of another type
                ObjectNode replaced = JsonNodeFactory.instance.objectNode();
                replaced.set(tree.fields().next().getKey(), randomScalar());
                return new Body(serialise(replaced), "poison: top value of another type");
            }
        }
    }

    private JsonNode mutate(JsonNode tree, List<String> done) {
        List<JsonNode> containers = new ArrayList<>();
        collect(tree, containers, 0);
        if (containers.isEmpty()) {
            return tree;
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        switch (random.nextInt(5)) {
            case 0 -> {
                if (target instanceof ObjectNode object) {
                    object.set(randomKey(), randomValue());
                    done.add("extra key");
                } else if (target instanceof ArrayNode array) {
                    array.add(randomValue());
                    done.add("extra element");
                }
            }
            case 1, 2 -> {
                if (target instanceof ObjectNode object && object.size() > 0) {
                    List<String> names = new ArrayList<>();
                    object.fieldNames().forEachRemaining(names::add);
                    object.set(pick(names), randomValue());
                    done.add("value replaced");
                } else if (target instanceof ArrayNode array && array.size() > 0) {
                    array.set(random.nextInt(array.size()), randomValue());
                    done.add("element replaced");
                }
            }
            case 3 -> {
                if (target instanceof ObjectNode object && object.size() > 0 && target != tree) {
                    List<String> names = new ArrayList<>();
                    object.fieldNames().forEachRemaining(names::add);
                    object.remove(pick(names));
                    done.add("key removed");
                }
            }
            default -> {
                if (target instanceof ObjectNode object && object.size() > 0) {
                    List<String> names = new ArrayList<>();
                    object.fieldNames().forEachRemaining(names::add);
                    object.set(pick(names), JsonNodeFactory.instance.textNode(hostileString()));
                    done.add("hostile string");
                }
            }
        }
        return tree;
    }

    /** The containers of the template's own levels (not the inside of a deep value added before). */
    private void collect(JsonNode node, List<JsonNode> containers, int depth) {
        if (node.isContainerNode() && depth < 6) {
            containers.add(node);
            node.elements().forEachRemaining(child -> collect(child, containers, depth + 1));
        }
    }

    private JsonNode randomValue() {
        return switch (random.nextInt(7)) {
            case 0 -> JsonNodeFactory.instance.textNode(hostileString());
            case 1 -> JsonNodeFactory.instance.arrayNode().add(hostileString()).add(random.nextInt());
            case 2 -> JsonNodeFactory.instance.objectNode().put(randomKey(), hostileString());
            case 3 -> deep(random.nextInt(2) == 0 ? 50 : 3000);
            default -> randomScalar();
        };
    }

    private JsonNode randomScalar() {
        return switch (random.nextInt(10)) {
            case 0 -> JsonNodeFactory.instance.nullNode();
            case 1 -> JsonNodeFactory.instance.booleanNode(random.nextBoolean());
            case 2 -> JsonNodeFactory.instance.numberNode(-1);
            case 3 -> JsonNodeFactory.instance.numberNode(Long.MAX_VALUE);
            case 4 -> JsonNodeFactory.instance.numberNode(new java.math.BigInteger("9".repeat(60)));
            case 5 -> JsonNodeFactory.instance.numberNode(1.5e308);
            case 6 -> JsonNodeFactory.instance.numberNode(0.5);
            case 7 -> JsonNodeFactory.instance.textNode("");
            case 8 -> JsonNodeFactory.instance.textNode(NOT_SECRET);
            default -> JsonNodeFactory.instance.numberNode(random.nextInt());
        };
    }

    private JsonNode deep(int depth) {
        JsonNode node = JsonNodeFactory.instance.textNode("bottom");
        for (int i = 0; i < depth; i++) {
            node = random.nextBoolean() ? JsonNodeFactory.instance.arrayNode().add(node)
                    : JsonNodeFactory.instance.objectNode().set("k", node);
        }
        return node;
    }

    private String randomKey() {
        return pick(List.of("extra", "name\u0000", "", "\ud83d\ude00", "k".repeat(5000), "password", "__proto__",
                "$where", "instance", "id", "tenant_id"));
    }

    private String hostileString() {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "\u0000";
            case 2 -> "a\u0000b";
            case 3 -> "x".repeat(random.nextBoolean() ? 256 : 300_000);
            case 4 -> "\ud83d\ude00\u202e\u0301\u200b";
            case 5 -> "\ud800"; // a lone surrogate: not encodable in UTF-8
            case 6 -> "'; DROP TABLE instances; --";
            case 7 -> "../../../../etc/passwd";
            case 8 -> "%00%ff";
            case 9 -> "\r\nX-Injected: 1";
            case 10 -> NOT_SECRET;
            default -> "\u00e9\u4e2d\u0410";
        };
    }

    private String fill(String template, boolean forceGarbage, Map<String, Boolean> garbageUsed) {
        List<String> items = new ArrayList<>();
        Matcher found = PLACEHOLDER.matcher(template);
        while (found.find()) {
            if (ITEM_PLACEHOLDERS.contains(found.group(1))) {
                items.add(found.group(1));
            }
        }
        String forced = forceGarbage && !items.isEmpty() ? pick(items) : null;
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            boolean item = ITEM_PLACEHOLDERS.contains(name);
            boolean garbage = name.equals(forced) || random.nextInt(100) < (item ? 20 : 3);
            String value = garbage ? pick(GARBAGE) : real(name);
            garbageUsed.merge(name, garbage && item, Boolean::logicalOr);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String real(String placeholder) {
        return switch (placeholder) {
            case "p" -> targets.project();
            case "i" -> targets.instance();
            case "d" -> targets.database();
            case "u" -> targets.user();
            case "f" -> targets.flavor();
            case "ds" -> targets.datastore();
            case "v" -> targets.version();
            case "param" -> targets.parameter();
            case "c" -> targets.configuration();
            case "b" -> java.util.UUID.randomUUID().toString(); // no backup exists: any id names nothing
            default -> throw new IllegalArgumentException(placeholder);
        };
    }

    private byte[] serialise(JsonNode tree) {
        try {
            return json.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the generator cannot write its own body", e);
        }
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static List<Endpoint> endpoints(String password) {
        String p = "/v1.0/{p}";
        String instance = """
                {"instance": {"name": "h", "flavorRef": "{f}", "volume": {"size": 1},
                 "datastore": {"type": "postgresql", "version": "15"},
                 "databases": [{"name": "hdb"}], "users": [{"name": "hu", "password": "PW"}]}}""";
        String users = "{\"users\": [{\"name\": \"hu\", \"password\": \"PW\", \"databases\": [{\"name\": \"hdb\"}]}]}";
        List<Endpoint> list = new ArrayList<>(List.of(
                e("GET", "/", false),
                e("GET", "/v1.0/", false),
                e("GET,POST", p + "/instances", false, instance),
                e("GET", p + "/instances/detail", false),
                e("GET,PUT,PATCH,DELETE", p + "/instances/{i}", false,
                        "{\"instance\": {\"name\": \"renamed\"}}", "{\"instance\": {\"configuration\": \"{c}\"}}",
                        "{\"instance\": {\"datastore_version\": \"16\"}}", "{\"instance\": {\"replica_of\": null}}"),
                e("POST", p + "/instances/{i}/action", false, "{\"restart\": {}}",
                        "{\"resize\": {\"flavorRef\": \"d2\"}}", "{\"resize\": {\"volume\": {\"size\": 2}}}",
                        "{\"reset_status\": {}}", "{\"promote_to_replica_source\": {}}",
                        "{\"eject_replica_source\": {}}", "{\"restart\": {}, \"resize\": {\"flavorRef\": \"d2\"}}"),
                e("GET", p + "/instances/{i}/backups", false),
                e("GET", p + "/instances/{i}/configuration", false),
                e("GET,POST", p + "/instances/{i}/log", false, "{\"name\": \"general\", \"enable\": 1}"),
                e("GET,POST", p + "/instances/{i}/databases", false,
                        "{\"databases\": [{\"name\": \"hdb\", \"character_set\": \"utf8\", \"collate\": \"C\"}]}"),
                e("GET,DELETE", p + "/instances/{i}/databases/{d}", false),
                e("GET,POST,PUT", p + "/instances/{i}/users", false, users),
                e("GET,PUT,DELETE", p + "/instances/{i}/users/{u}", false,
                        "{\"user\": {\"password\": \"PW\"}}", "{\"user\": {\"name\": \"hu2\", \"host\": \"%\"}}"),
                e("GET,PUT", p + "/instances/{i}/users/{u}/databases", false, "{\"databases\": [{\"name\": \"{d}\"}]}"),
                e("DELETE", p + "/instances/{i}/users/{u}/databases/{d}", false),
                e("GET,POST,DELETE", p + "/instances/{i}/root", false, "{\"password\": \"PW\"}", "{}"),
                e("GET", p + "/flavors", false),
                e("GET", p + "/flavors/{f}", false),
                e("GET", p + "/datastores", false),
                e("GET", p + "/datastores/{ds}", false),
                e("GET", p + "/datastores/{ds}/versions", false),
                e("GET", p + "/datastores/{ds}/versions/{v}", false),
                e("GET", p + "/datastores/versions/{v}", false),
                e("GET", p + "/datastores/{ds}/versions/{v}/parameters", false),
                e("GET", p + "/datastores/{ds}/versions/{v}/parameters/{param}", false),
                e("GET", p + "/datastores/versions/{v}/parameters", false),
                e("GET", p + "/datastores/versions/{v}/parameters/{param}", false),
                e("GET", p + "/datastores/{ds}/versions/{v}/flavors", false),
                e("GET", p + "/datastores/{ds}/versions/{v}/volume-types", false),
                e("GET,POST", p + "/backups", false,
                        "{\"backup\": {\"name\": \"hb\", \"instance\": \"{i}\", \"incremental\": false}}",
                        "{\"backup\": {\"name\": \"hb\", \"instance\": \"{i}\", \"parent_id\": \"{b}\"}}"),
                e("GET,DELETE", p + "/backups/{b}", false),
                e("GET,POST", p + "/backup_strategies", false,
                        "{\"backup_strategy\": {\"swift_container\": \"hc\", \"instance_id\": \"{i}\"}}"),
                e("GET,POST", p + "/configurations", false,
                        "{\"configuration\": {\"name\": \"hc\", \"values\": {\"max_connections\": 50},"
                                + " \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}}}"),
                e("GET,PUT,PATCH,DELETE", p + "/configurations/{c}", false,
                        "{\"configuration\": {\"values\": {\"max_connections\": 60}}}"),
                e("GET", p + "/configurations/{c}/instances", false),
                e("GET", p + "/limits", false),
                e("GET", p + "/clusters", false),
                e("GET", p + "/modules", false),
                e("GET,PUT", p + "/mgmt/quotas/{p}", true, "{\"quotas\": {\"instances\": 3, \"backups\": 1}}"),
                e("GET", p + "/mgmt/instances", true),
                e("GET", p + "/mgmt/instances/{i}", true),
                e("POST", p + "/mgmt/instances/{i}/action", true, "{\"stop\": {}}", "{\"reboot\": {}}",
                        "{\"reset-task-status\": {}}", "{\"rebuild\": {\"image_id\": \"x\"}}"),
                e("GET", p + "/mgmt/instances/{i}/root", true),
                e("GET", p + "/mgmt/instances/{i}/hwinfo", true),
                e("GET", p + "/mgmt/instances/{i}/diagnostics", true),
                e("GET", p + "/mgmt/instances/{i}/rpc_ping", true),
                e("GET,POST", p + "/mgmt/datastore-versions", true,
                        "{\"version\": {\"name\": \"h\", \"datastore_name\": \"{ds}\", \"datastore_manager\": \"postgresql\","
                                + " \"image_tags\": [\"t\"], \"active\": true}}"),
                e("GET,PATCH,DELETE", p + "/mgmt/datastore-versions/{v}", true, "{\"active\": false}"),
                e("GET,POST", p + "/mgmt/datastores/versions/{v}/parameters", true,
                        "{\"configuration-parameter\": {\"name\": \"hp\", \"restart_required\": 0,"
                                + " \"data_type\": \"integer\", \"max_size\": 10, \"min_size\": 1}}"),
                e("GET,PUT,DELETE", p + "/mgmt/datastores/versions/{v}/parameters/{param}", true,
                        "{\"configuration-parameter\": {\"name\": \"{param}\", \"restart_required\": 1,"
                                + " \"data_type\": \"integer\", \"max_size\": 10, \"min_size\": 1}}"),
                e("GET", "/compute/v2.1/", false),
                e("GET", "/compute/v2.1/flavors/detail", false),
                e("GET", "/compute/v2.1/flavors/{f}", false),
                e("GET", "/compute/v2.1/os-availability-zone", false),
                e("GET", "/compute/v2.1/servers/detail", false),
                e("GET", "/compute/v2.1/servers/{i}", false),
                e("GET", "/compute/v2.1/limits", false)));
        // the password placeholder in the templates: the run's own secret
        list.replaceAll(endpoint -> new Endpoint(endpoint.methods(), endpoint.path(),
                endpoint.bodies().stream().map(b -> b.replace("\"PW\"", "\"" + password + "\"")).toList(),
                endpoint.admin()));
        return list;
    }

    private static Endpoint e(String methods, String path, boolean admin, String... bodies) {
        return new Endpoint(List.of(methods.split(",")), path, List.of(bodies), admin);
    }
}
