package org.trovej.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.trovej.api.error.ApiException;

/** jsonschema's Draft 4 semantics and messages, as Trove's validation errors show them. */
class SchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String errors(Schemas.Check check, String json) throws Exception {
        Violations v = Violations.create();
        check.check(v, "instance['x']", JSON.readTree(json));
        try {
            v.throwIfAny();
            return "";
        } catch (ApiException e) {
            return e.getMessage();
        }
    }

    @Test
    void stringsReportEveryFailingKeyword() throws Exception {
        assertThat(errors(Schemas::nonEmptyString, "\"\"")).isEqualTo("Validation error: instance['x'] '' should be "
                + "non-empty; instance['x'] '' does not match '^.*[0-9a-zA-Z]+.*$'");
        assertThat(errors(Schemas::nonEmptyString, "\"" + "a".repeat(256) + "\"")).endsWith("is too long");
        assertThat(errors(Schemas::nonEmptyString, "5")).isEqualTo("Validation error: instance['x'] 5 is not of type "
                + "'string'");
        assertThat(errors(Schemas::nonEmptyString, "\"ok-1\"")).isEmpty();
        assertThat(errors(Schemas::nonEmptyString, "\"it's\"")).isEmpty();
    }

    @Test
    void integersAreNeverBooleansOrFloats() throws Exception {
        assertThat(errors(Schemas::volumeSize, "1")).isEmpty();
        assertThat(errors(Schemas::volumeSize, "\"007\"")).isEmpty();
        assertThat(errors(Schemas::volumeSize, "true")).startsWith("Validation error: instance['x'] True is not valid "
                + "under any of the given schemas; True is not of type 'integer'; True is not of type 'string'");
        assertThat(errors(Schemas::volumeSize, "1.0")).contains("1.0 is not of type 'integer'");
        assertThat(errors(Schemas::volumeSize, "\"0\"")).contains("'0' does not match '^0*[1-9]+[0-9]*$'");
    }

    @Test
    void oneOfListsTheBranchesErrorsWithoutAPath() throws Exception {
        assertThat(errors(Schemas::flavorRef, "{\"a\": [1, null]}")).isEqualTo("Validation error: instance['x'] "
                + "{'a': [1, None]} is not valid under any of the given schemas; {'a': [1, None]} is not of type "
                + "'string'; {'a': [1, None]} is not of type 'integer'");
        assertThat(errors(Schemas::uuidOrNull, "null")).isEmpty();
    }

    @Test
    void closedObjectsNameTheirExtraProperties() throws Exception {
        JsonNode node = JSON.readTree("{\"a\": 1, \"b\": 2, \"c\": 3}");
        Violations v = Violations.create();
        Schemas.onlyProperties(v, "instance", node, Set.of("a"));
        assertThatThrownBy(v::throwIfAny).hasMessage("Validation error: instance Additional properties are not "
                + "allowed ('b', 'c' were unexpected)");
        assertThat(errors((w, p, n) -> Schemas.access(w, p, n, true), "{\"is_public\": true, "
                + "\"allowed_cidrs\": [\"10.0.0.0/8\", \"10.0.0.0/8\"]}")).contains("has non-unique elements");
        assertThat(errors((w, p, n) -> Schemas.access(w, p, n, true), "{\"allowed_cidrs\": [\"10.0.0.0/33\"]}"))
                .contains("does not match");
    }

    @Test
    void pythonReprQuotesLikePython() throws Exception {
        assertThat(PythonRepr.of(JSON.readTree("\"it's\""))).isEqualTo("\"it's\"");
        assertThat(PythonRepr.of(JSON.readTree("\"a\\nb\""))).isEqualTo("'a\\nb'");
        assertThat(PythonRepr.of(JSON.readTree("[true, false, null, 2.5, {}]"))).isEqualTo("[True, False, None, 2.5, {}]");
    }

    @Test
    void passwordsAreNeverQuoted() throws Exception {
        Violations v = Violations.create();
        AccountSchemas.usersList(v, "users", JSON.readTree("[{\"name\": \"\", \"password\": \"\"}, "
                + "{\"name\": \"a\", \"password\": 5}, [\"x\"]]"));
        assertThat(v.messages()).containsExactly("users[0]['name'] '' should be non-empty",
                "users[0]['name'] '' does not match '^.*[0-9a-zA-Z]+.*$'",
                "users[0]['password'] '***' should be non-empty",
                "users[0]['password'] '***' does not match '^.*[0-9a-zA-Z]+.*$'",
                "users[1]['password'] '***' is not of type 'string'",
                "users[2] ['x'] is not of type 'object'");
        assertThat(errors(Schemas::array, "{\"a\": {\"root_password\": \"s\", \"Password\": [1]}, \"b\": 1}"))
                .isEqualTo("Validation error: instance['x'] {'a': {'root_password': '***', 'Password': '***'}, "
                        + "'b': 1} is not of type 'array'");
    }
}
