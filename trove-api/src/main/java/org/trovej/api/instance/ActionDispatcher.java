package org.trovej.api.instance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.error.ApiException;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;

/**
 * {@code POST /instances/{id}/action}: picks the action from the body's keys, checks the body against Trove's
 * action schema and hands it to {@link InstanceActionService}. Where Trove fails with a 500 (an unknown or empty
 * action, a resize naming neither a flavor nor a volume) the answer here is 400. A body naming two actions is a
 * 400 too, with nothing run: Trove's loop silently runs the last one it sees, so a client asking for a restart
 * and a resize would get a resize only (the wording is Trove's for its mgmt actions).
 */
@Component
class ActionDispatcher {

    private static final Set<String> ACTIONS = Set.of("restart", "resize", "promote_to_replica_source",
            "eject_replica_source", "reset_status");

    private final InstanceActionService actions;
    private final InstanceReplicationService replication;

    ActionDispatcher(InstanceActionService actions, InstanceReplicationService replication) {
        this.actions = actions;
        this.replication = replication;
    }

    void dispatch(AuthContext caller, String id, JsonNode body, String requestId) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw ApiException.badRequest("Invalid request body.");
        }
        List<String> known = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (ACTIONS.contains(name)) {
                known.add(name);
            }
        });
        if (known.isEmpty()) {
            throw ApiException.badRequest("Invalid request body: no known action in " + fieldNames(body) + ".");
        }
        if (known.size() > 1) {
            throw ApiException.badRequest("Only one action can be specified per request.");
        }
        String action = known.get(0);
        JsonNode argument = body.get(action);
        switch (action) {
            case "restart" -> {
                Violations v = Violations.create();
                Schemas.object(v, "restart", argument);
                v.throwIfAny();
                actions.restart(caller, id, requestId);
            }
            case "resize" -> resize(caller, id, argument, requestId);
            case "reset_status" -> actions.resetStatus(caller, id,
                    argument != null && argument.isObject() && argument.has("force_delete"));
            case "promote_to_replica_source" -> replication.promote(caller, id, requestId);
            case "eject_replica_source" -> replication.eject(caller, id, requestId);
            default -> throw new IllegalStateException(action);
        }
    }

    /** {"resize": {"volume": {"size": N}}} or {"resize": {"flavorRef": ref}}; volume wins when both are given. */
    private void resize(AuthContext caller, String id, JsonNode resize, String requestId) {
        Violations v = Violations.create();
        if (!Schemas.object(v, "resize", resize)) {
            v.throwIfAny();
        }
        if (resize.has("volume")) {
            JsonNode volume = resize.get("volume");
            String path = "resize['volume']";
            if (Schemas.object(v, path, volume) && Schemas.required(v, path, volume, "size")) {
                Schemas.volumeSize(v, Violations.key(path, "size"), volume.get("size"));
                if (volume.has("type")) {
                    Schemas.nonEmptyStringOrNull(v, Violations.key(path, "type"), volume.get("type"));
                }
            }
            v.throwIfAny();
            actions.resizeVolume(caller, id, volume.get("size").asText(), requestId);
        } else if (resize.has("flavorRef")) {
            Schemas.flavorRef(v, "resize['flavorRef']", resize.get("flavorRef"));
            v.throwIfAny();
            actions.resizeFlavor(caller, id, CreateRequestReader.idFromHref(resize.get("flavorRef")), requestId);
        } else {
            throw ApiException.badRequest("Invalid request body: a resize needs 'volume' or 'flavorRef'.");
        }
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
