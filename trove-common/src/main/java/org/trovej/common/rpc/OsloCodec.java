package org.trovej.common.rpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * oslo.messaging's RabbitMQ message format (envelope version 2.0), in both directions. Keys are written
 * in the order oslo writes them, so an encoded message equals one captured from Trove byte for byte.
 */
public final class OsloCodec {

    static final String CONTEXT_PREFIX = "_context_";

    private OsloCodec() {
    }

    /** A request as it arrives, before the serializer has opened its arguments and context. */
    public record IncomingRequest(String method, String version, ObjectNode wireArgs, ObjectNode wireContext,
                                  String uniqueId, String msgId, String replyQ, String namespace) {
        public boolean isCall() {
            return msgId != null;
        }
    }

    /** A reply as it arrives; {@code failure} is the parsed failure dict or null. */
    public record IncomingReply(String msgId, JsonNode result, ObjectNode failure, boolean ending) {
    }

    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Encodes a cast (msgId == null) or a call. Argument values are passed through the serializer one by one. */
    public static byte[] encodeRequest(String method, ObjectNode args, String version, RpcContext context,
                                       RpcSerializer serializer, String msgId, String replyQ) {
        ObjectNode inner = PythonJson.object();
        inner.put("method", method);
        ObjectNode wireArgs = inner.putObject("args");
        for (Iterator<Map.Entry<String, JsonNode>> it = args.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> arg = it.next();
            wireArgs.set(arg.getKey(), serializer.serializeEntity(context, arg.getValue()));
        }
        if (version != null) {
            inner.put("version", version);
        }
        if (msgId != null) {
            inner.put("_msg_id", msgId);
            inner.put("_reply_q", replyQ);
            inner.putNull("_timeout");
        }
        inner.put("_unique_id", newId());
        ObjectNode wireContext = serializer.serializeContext(context);
        for (Iterator<Map.Entry<String, JsonNode>> it = wireContext.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            inner.set(CONTEXT_PREFIX + entry.getKey(), entry.getValue());
        }
        return envelope(inner);
    }

    /** Encodes a reply; {@code result} has been through the serializer already. */
    public static byte[] encodeReply(String msgId, JsonNode result, RpcFailure failure, Throwable cause) {
        ObjectNode inner = PythonJson.object();
        if (failure == null) {
            inner.set("result", result);
            inner.putNull("failure");
        } else {
            inner.putNull("result");
            inner.put("failure", failureText(failure, cause));
        }
        inner.put("ending", true);
        inner.put("_msg_id", msgId);
        inner.put("_unique_id", newId());
        return envelope(inner);
    }

    static String failureText(RpcFailure failure, Throwable cause) {
        ObjectNode data = PythonJson.object();
        data.put("class", failure.className());
        data.put("module", failure.module());
        data.put("message", failure.getMessage());
        ArrayNode tb = data.putArray("tb");
        Throwable shown = cause == null ? failure : cause;
        tb.add("Traceback (most recent call last):\n");
        for (StackTraceElement frame : shown.getStackTrace()) {
            tb.add("  at " + frame + "\n");
            if (tb.size() > 12) {
                break;
            }
        }
        tb.add(failure.className() + ": " + failure.getMessage() + "\n");
        data.putArray("args").add(failure.getMessage());
        data.putObject("kwargs");
        return PythonJson.dumps(data);
    }

    private static byte[] envelope(ObjectNode inner) {
        ObjectNode outer = PythonJson.object();
        outer.put("oslo.version", "2.0");
        outer.put("oslo.message", PythonJson.dumps(inner));
        return PythonJson.dumps(outer).getBytes(StandardCharsets.UTF_8);
    }

    /** Opens the envelope (or accepts an un-enveloped 1.0 message, as oslo does). */
    static ObjectNode openEnvelope(byte[] body) {
        JsonNode outer;
        try {
            outer = PythonJson.parse(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new RpcDecodeException("message body is not JSON: " + e.getOriginalMessage());
        }
        if (!(outer instanceof ObjectNode object)) {
            throw new RpcDecodeException("message body is not a JSON object");
        }
        if (!object.has("oslo.version")) {
            return object;
        }
        String version = object.get("oslo.version").asText();
        if (!version.startsWith("2.")) {
            throw new RpcDecodeException("unsupported oslo envelope version " + version);
        }
        JsonNode message = object.get("oslo.message");
        if (message == null || !message.isTextual()) {
            throw new RpcDecodeException("envelope has no oslo.message text");
        }
        try {
            JsonNode inner = PythonJson.parse(message.textValue());
            if (inner instanceof ObjectNode innerObject) {
                return innerObject;
            }
        } catch (JsonProcessingException e) {
            throw new RpcDecodeException("oslo.message is not JSON: " + e.getOriginalMessage());
        }
        throw new RpcDecodeException("oslo.message is not a JSON object");
    }

    public static IncomingRequest decodeRequest(byte[] body) {
        ObjectNode inner = openEnvelope(body);
        JsonNode method = inner.get("method");
        if (method == null || !method.isTextual()) {
            throw new RpcDecodeException("request has no method");
        }
        JsonNode args = inner.get("args");
        ObjectNode wireArgs = args instanceof ObjectNode a ? a : PythonJson.object();
        ObjectNode wireContext = PythonJson.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = inner.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().startsWith(CONTEXT_PREFIX)) {
                wireContext.set(field.getKey().substring(CONTEXT_PREFIX.length()), field.getValue());
            }
        }
        return new IncomingRequest(method.textValue(), text(inner, "version"), wireArgs, wireContext,
                text(inner, "_unique_id"), text(inner, "_msg_id"), text(inner, "_reply_q"),
                text(inner, "namespace"));
    }

    public static IncomingReply decodeReply(byte[] body) {
        ObjectNode inner = openEnvelope(body);
        ObjectNode failure = null;
        JsonNode failureNode = inner.get("failure");
        if (failureNode != null && !failureNode.isNull()) {
            try {
                JsonNode parsed = failureNode.isTextual() ? PythonJson.parse(failureNode.textValue()) : failureNode;
                failure = parsed instanceof ObjectNode o ? o : null;
            } catch (JsonProcessingException e) {
                failure = null;
            }
            if (failure == null) {
                failure = PythonJson.object();
                failure.put("class", "RemoteError");
                failure.put("message", failureNode.asText());
            }
        }
        JsonNode ending = inner.get("ending");
        return new IncomingReply(text(inner, "_msg_id"), inner.get("result"), failure,
                ending == null || ending.asBoolean(true));
    }

    /** Builds the RemoteError a caller raises for a failure dict. */
    static RemoteError remoteError(ObjectNode failure) {
        List<String> tb = new ArrayList<>();
        JsonNode tbNode = failure.get("tb");
        if (tbNode != null && tbNode.isArray()) {
            tbNode.forEach(line -> tb.add(line.asText()));
        }
        return new RemoteError(text(failure, "module"), text(failure, "class"), text(failure, "message"), tb);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
