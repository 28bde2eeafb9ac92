package org.trovej.common.taskmanager;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * A user to create with the instance, serialized as Trove's guest models are. The password travels to the
 * guest (encrypted) and is never printed: {@link #toString()} leaves it out.
 *
 * @param host      Trove's default is {@code %}
 * @param databases names of the databases the user gets access to
 */
public record InstanceUser(String name, String password, String host, List<String> databases) {

    public InstanceUser {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a user needs a name");
        }
        host = host == null ? "%" : host;
        databases = databases == null ? List.of() : List.copyOf(databases);
    }

    public ObjectNode toWire() {
        ObjectNode user = PythonJson.object();
        user.put("_name", name);
        user.put("_password", password);
        user.put("_host", host);
        ArrayNode dbs = user.putArray("_databases");
        databases.forEach(db -> dbs.addObject().put("_name", db));
        return user;
    }

    @Override
    public String toString() {
        return "InstanceUser[name=" + name + ", host=" + host + ", databases=" + databases + "]";
    }
}
