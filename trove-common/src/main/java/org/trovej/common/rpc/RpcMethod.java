package org.trovej.common.rpc;

import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;

/** One method of an RPC endpoint. Completing the stage is what lets the server acknowledge the message. */
@FunctionalInterface
public interface RpcMethod {

    CompletionStage<JsonNode> invoke(RpcContext context, RpcArgs args) throws Exception;
}
