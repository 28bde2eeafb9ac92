package org.trovej.common.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.crypto.TroveCrypto;
import org.trovej.common.json.PythonJson;

/**
 * The conductor's side of {@link ConductorGuestSerializer}: unwraps {@code {"entity", "csz-instance-id"}},
 * looks the instance's key up and decrypts. Values that are not such a wrapper pass through unchanged (a
 * guest with secure messaging off sends plain values). A wrapper that does not decrypt is an error: the
 * message is not from the instance it claims to be.
 */
public final class ConductorHostSerializer implements RpcSerializer {

    /** Finds the RPC key of an instance; null when the instance has none (plaintext instance). */
    @FunctionalInterface
    public interface InstanceKeyLookup {
        String keyOf(String instanceId);
    }

    private final InstanceKeyLookup keys;

    public ConductorHostSerializer(InstanceKeyLookup keys) {
        this.keys = keys;
    }

    @Override
    public JsonNode serializeEntity(RpcContext context, JsonNode entity) {
        String instanceId = context.instanceId();
        String key = instanceId == null ? null : keys.keyOf(instanceId);
        return key == null ? entity : new SecureSerializer(key).serializeEntity(context, entity);
    }

    @Override
    public JsonNode deserializeEntity(RpcContext context, JsonNode entity) {
        if (!entity.isTextual()) {
            return entity;
        }
        JsonNode wrapper;
        try {
            wrapper = PythonJson.parse(entity.textValue());
        } catch (JsonProcessingException e) {
            return entity;
        }
        if (!(wrapper instanceof ObjectNode) || !wrapper.hasNonNull("csz-instance-id")
                || !wrapper.hasNonNull("entity")) {
            return entity;
        }
        String instanceId = wrapper.get("csz-instance-id").asText();
        String key = requireKey(instanceId);
        try {
            return PythonJson.parse(TroveCrypto.decrypt(wrapper.get("entity").asText(), key));
        } catch (JsonProcessingException e) {
            throw new RpcDecodeException("value from instance " + instanceId + " is not JSON after decryption", e);
        }
    }

    @Override
    public ObjectNode serializeContext(RpcContext context) {
        String instanceId = context.instanceId();
        String key = instanceId == null ? null : keys.keyOf(instanceId);
        return key == null ? context.toDict() : new SecureSerializer(key).serializeContext(context);
    }

    @Override
    public RpcContext deserializeContext(ObjectNode wireContext) {
        JsonNode idNode = wireContext.get("csz-instance-id");
        if (idNode == null || idNode.isNull()) {
            return RpcContext.fromDict(wireContext);
        }
        String instanceId = idNode.asText();
        ObjectNode dict = wireContext;
        JsonNode sealed = wireContext.get("context");
        if (sealed != null && sealed.isTextual()) {
            try {
                JsonNode opened = PythonJson.parse(TroveCrypto.decrypt(sealed.textValue(), requireKey(instanceId)));
                if (opened instanceof ObjectNode object) {
                    dict = object;
                }
            } catch (JsonProcessingException e) {
                throw new RpcDecodeException("context from instance " + instanceId + " is not JSON", e);
            }
        }
        return RpcContext.fromDict(dict).with("instance_id", instanceId);
    }

    private String requireKey(String instanceId) {
        String key = keys.keyOf(instanceId);
        if (key == null) {
            throw new RpcDecodeException("no RPC key known for instance " + instanceId);
        }
        return key;
    }
}
