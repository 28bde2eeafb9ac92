package org.trovej.common.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * oslo.messaging's Serializer as Trove stacks it: every argument value (and every call result) passes
 * through {@link #serializeEntity} one by one, and the context dict through {@link #serializeContext}
 * before it is flattened into {@code _context_*} keys.
 */
public interface RpcSerializer {

    JsonNode serializeEntity(RpcContext context, JsonNode entity);

    JsonNode deserializeEntity(RpcContext context, JsonNode entity);

    /** The dict whose keys become {@code _context_<key>} on the wire. */
    ObjectNode serializeContext(RpcContext context);

    /** Turns the {@code _context_*} dict received (prefix removed) back into a context. */
    RpcContext deserializeContext(ObjectNode wireContext);

    /** No encryption: values and context keys travel as they are. */
    static RpcSerializer plain() {
        return PlainSerializer.INSTANCE;
    }
}
