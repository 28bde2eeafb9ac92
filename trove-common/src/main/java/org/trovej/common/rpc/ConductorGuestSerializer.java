package org.trovej.common.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.trovej.common.crypto.TroveCrypto;
import org.trovej.common.json.PythonJson;

/**
 * What a guest uses to cast to the conductor: each value is encrypted with the instance key and wrapped in
 * the JSON text {@code {"entity": <b64>, "csz-instance-id": <guest id>}}, so the conductor knows which key
 * opens it; the context likewise carries {@code csz-instance-id} beside the sealed {@code context}.
 */
public final class ConductorGuestSerializer implements RpcSerializer {

    private final String key;
    private final String instanceId;

    public ConductorGuestSerializer(String key, String instanceId) {
        this.key = key;
        this.instanceId = instanceId;
    }

    @Override
    public JsonNode serializeEntity(RpcContext context, JsonNode entity) {
        ObjectNode wrapper = PythonJson.object();
        wrapper.put("entity", TroveCrypto.encrypt(PythonJson.dumps(entity), key));
        wrapper.put("csz-instance-id", instanceId);
        return TextNode.valueOf(PythonJson.dumps(wrapper));
    }

    /**
     * The conductor's reply to a call ({@code notify_exc_info}, TroveJ's {@code log_shipped}): the conductor seals it
     * with this instance's key, as its host serializer seals everything it sends an instance with a key.
     */
    @Override
    public JsonNode deserializeEntity(RpcContext context, JsonNode entity) {
        return new SecureSerializer(key).deserializeEntity(context, entity);
    }

    @Override
    public ObjectNode serializeContext(RpcContext context) {
        ObjectNode wire = PythonJson.object();
        wire.put("context", TroveCrypto.encrypt(PythonJson.dumps(context.toDict()), key));
        wire.put("csz-instance-id", instanceId);
        return wire;
    }

    @Override
    public RpcContext deserializeContext(ObjectNode wireContext) {
        throw new UnsupportedOperationException("a guest never receives conductor-wrapped contexts");
    }
}
