package org.trovej.api.validation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Trove's schema fragments for databases and users (apischema.py {@code databases_def}, {@code users_list},
 * {@code databases_ref_list}, {@code user_attributes}), shared by instance create and the database/user
 * resources. Each reports through {@link Violations} with jsonschema's messages; a property's schema applies only
 * when the property is there.
 */
public final class AccountSchemas {

    private AccountSchemas() {
    }

    /** {@code databases_def}: objects with a required {@code name}; name, character_set, collate non-empty. */
    public static boolean databasesDef(Violations v, String path, JsonNode n) {
        if (!Schemas.array(v, path, n, null, false)) {
            return false;
        }
        for (int i = 0; i < n.size(); i++) {
            String item = Violations.index(path, i);
            JsonNode db = n.get(i);
            if (Schemas.object(v, item, db)) {
                Schemas.required(v, item, db, "name");
                for (String key : new String[] {"name", "character_set", "collate"}) {
                    property(v, item, db, key, Schemas::nonEmptyString);
                }
            }
        }
        return true;
    }

    /** {@code users_list}: objects with required name and password, optional host and databases. */
    public static boolean usersList(Violations v, String path, JsonNode n) {
        if (!Schemas.array(v, path, n, null, false)) {
            return false;
        }
        for (int i = 0; i < n.size(); i++) {
            String item = Violations.index(path, i);
            JsonNode user = n.get(i);
            if (!Schemas.object(v, item, user)) {
                continue;
            }
            Schemas.required(v, item, user, "name", "password");
            property(v, item, user, "name", Schemas::nameString);
            property(v, item, user, "password", Schemas::nonEmptyString);
            property(v, item, user, "host", Schemas::hostString);
            property(v, item, user, "databases", AccountSchemas::databasesRefList);
        }
        return true;
    }

    /** {@code databases_ref_list}: unique objects, each with a required non-empty {@code name}. */
    public static boolean databasesRefList(Violations v, String path, JsonNode n) {
        if (!Schemas.array(v, path, n, null, true)) {
            return false;
        }
        for (int j = 0; j < n.size(); j++) {
            String db = Violations.index(path, j);
            if (Schemas.object(v, db, n.get(j)) && Schemas.required(v, db, n.get(j), "name")) {
                Schemas.nonEmptyString(v, Violations.key(db, "name"), n.get(j).get("name"));
            }
        }
        return true;
    }

    /** {@code user_attributes}: an object with at least one property; name, password and host checked. */
    public static boolean userAttributes(Violations v, String path, JsonNode n) {
        if (!Schemas.object(v, path, n)) {
            return false;
        }
        boolean ok = true;
        if (n.isEmpty()) {
            v.add(path, Violations.quoted(path, n) + " should be non-empty");
            ok = false;
        }
        property(v, path, n, "name", Schemas::nameString);
        property(v, path, n, "password", Schemas::nonEmptyString);
        property(v, path, n, "host", Schemas::hostString);
        return ok;
    }

    /** The body of a request whose schema is one required top-level key (Trove's "create" schemas). */
    public static Violations body(JsonNode body, String key, Schemas.Check check) {
        Violations v = Violations.create();
        if (Schemas.object(v, "", body) && Schemas.required(v, "", body, key)) {
            check.check(v, key, body.get(key));
        }
        return v;
    }

    private static void property(Violations v, String path, JsonNode object, String key, Schemas.Check check) {
        if (object.has(key)) {
            check.check(v, Violations.key(path, key), object.get(key));
        }
    }
}
