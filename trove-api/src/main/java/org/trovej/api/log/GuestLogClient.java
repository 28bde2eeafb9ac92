package org.trovej.api.log;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.api.error.ApiException;
import org.trovej.api.guest.GuestDataClient;
import org.trovej.common.json.PythonJson;
import org.trovej.common.log.GuestLogAction;
import org.trovej.common.log.GuestLogInfo;
import org.trovej.common.rpc.RemoteError;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcTimeoutException;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.service.guest.GuestTimeouts;

/**
 * The guest's {@code guest_log_list} and {@code guest_log_action} (trove/guestagent/api.py, high timeout as Trove).
 * A refusal keeps its meaning, where Trove turns every guest failure into a 400 GuestError: an undefined log is 404,
 * a SYS log asked by a non-admin 403 (Trove's LogAccessForbidden text), bad flags 400. No reply in time is Trove's
 * GuestTimeout (400); a reply that is not a log dict a 500 naming the method.
 */
@Component
public class GuestLogClient {

    private static final Logger log = LoggerFactory.getLogger(GuestLogClient.class);

    private final GuestAgentClient guests;
    private final GuestTimeouts timeouts;

    public GuestLogClient(GuestAgentClient guests, GuestTimeouts timeouts) {
        this.guests = guests;
        this.timeouts = timeouts;
    }

    public List<GuestLogInfo> list(RpcContext context, String instanceId) {
        JsonNode reply = call(context, instanceId, GuestLogInfo.LIST_METHOD, PythonJson.object());
        if (reply == null || !reply.isArray()) {
            throw badReply(instanceId, GuestLogInfo.LIST_METHOD);
        }
        List<GuestLogInfo> logs = new ArrayList<>();
        for (JsonNode entry : reply) {
            logs.add(read(instanceId, GuestLogInfo.LIST_METHOD, entry));
        }
        return logs;
    }

    public GuestLogInfo act(RpcContext context, String instanceId, GuestLogAction action) {
        JsonNode reply = call(context, instanceId, GuestLogInfo.ACTION_METHOD, action.toWire());
        return read(instanceId, GuestLogInfo.ACTION_METHOD, reply);
    }

    private JsonNode call(RpcContext context, String instanceId, String method, ObjectNode args) {
        try {
            return guests.call(context, instanceId, method, args, timeouts.high());
        } catch (RemoteError e) {
            throw translate(instanceId, method, e);
        } catch (RpcTimeoutException e) {
            log.warn("Guest of instance {} did not answer {} within {} s", instanceId, method,
                    timeouts.high().toSeconds());
            throw ApiException.badRequest(GuestDataClient.TIMEOUT);
        }
    }

    static ApiException translate(String instanceId, String method, RemoteError e) {
        String type = e.excType() == null ? "" : e.excType();
        String message = e.value() == null ? "" : e.value();
        return switch (type) {
            case "NotFound" -> ApiException.notFound(message);
            case "LogAccessForbidden" -> ApiException.forbidden(message);
            default -> GuestDataClient.translate(instanceId, method, e, List.of());
        };
    }

    private static GuestLogInfo read(String instanceId, String method, JsonNode entry) {
        try {
            return GuestLogInfo.fromWire(entry);
        } catch (IllegalArgumentException e) {
            throw badReply(instanceId, method);
        }
    }

    private static ApiException badReply(String instanceId, String method) {
        log.warn("Guest of instance {} answered {} with something that is not a log", instanceId, method);
        return new ApiException(500, "An error occurred communicating with the guest: " + method
                + " returned no log.");
    }
}
