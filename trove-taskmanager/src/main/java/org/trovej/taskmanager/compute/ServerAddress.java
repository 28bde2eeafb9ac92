package org.trovej.taskmanager.compute;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/** One address of a server, as {@code instances.addresses} lists them. */
public record ServerAddress(String address, String type, String network) {

    public ObjectNode toJson() {
        ObjectNode node = PythonJson.object();
        node.put("address", address);
        node.put("type", type);
        node.put("network", network);
        return node;
    }
}
