package org.trovej.common.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The pass-through serializer Trove uses when secure RPC messaging is off. */
final class PlainSerializer implements RpcSerializer {

    static final PlainSerializer INSTANCE = new PlainSerializer();

    @Override
    public JsonNode serializeEntity(RpcContext context, JsonNode entity) {
        return entity;
    }

    @Override
    public JsonNode deserializeEntity(RpcContext context, JsonNode entity) {
        return entity;
    }

    @Override
    public ObjectNode serializeContext(RpcContext context) {
        return context.toDict();
    }

    @Override
    public RpcContext deserializeContext(ObjectNode wireContext) {
        return RpcContext.fromDict(wireContext);
    }
}
