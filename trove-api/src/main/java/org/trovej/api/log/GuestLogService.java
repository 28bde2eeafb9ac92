package org.trovej.api.log;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.error.ApiException;
import org.trovej.api.instance.GuestInstances;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;
import org.trovej.common.log.GuestLogAction;
import org.trovej.common.log.GuestLogInfo;
import org.trovej.common.objectstore.ContextObjectStore;
import org.trovej.common.rpc.RpcContext;

/**
 * An instance's guest logs (trove/instance/service.py {@code guest_log_list}, {@code guest_log_action}): the body is
 * checked against Trove's schema (apischema.py {@code guest_log}: {@code name} required, the four flags integers 0
 * or 1), enable with disable is refused, the instance is found under the caller's policy, and the guest is called
 * with a context that opens the object store it publishes into. The API keeps no state of its own for logs: the
 * guest owns their status and the store their content, as in Trove.
 */
@Service
public class GuestLogService {

    private static final Logger log = LoggerFactory.getLogger(GuestLogService.class);
    private static final String RULE = "instance:guest_log_list";
    private static final List<String> FLAGS = List.of("enable", "disable", "publish", "discard");

    private final GuestInstances instances;
    private final GuestLogClient guest;
    private final GuestLogStore store;
    private final String region;

    public GuestLogService(GuestInstances instances, GuestLogClient guest, GuestLogStore store,
                           org.trovej.api.ApiProperties properties) {
        this.instances = instances;
        this.guest = guest;
        this.store = store;
        this.region = properties.region();
    }

    public List<GuestLogInfo> list(AuthContext caller, String instanceId, String requestId) {
        GuestInstances.Target target = instances.load(caller, instanceId, RULE);
        RpcContext context = guestContext(caller, target, requestId);
        target.requireGuest();
        return guest.list(context, target.id());
    }

    public GuestLogInfo act(AuthContext caller, String instanceId, JsonNode body, String requestId) {
        GuestLogAction action = read(body);
        if (action.enabling() && action.disabling()) {
            throw ApiException.badRequest("Cannot enable and disable log.");
        }
        GuestInstances.Target target = instances.load(caller, instanceId, RULE);
        RpcContext context = guestContext(caller, target, requestId);
        target.requireGuest();
        GuestLogInfo result = guest.act(context, target.id(), action);
        if (action.enabling() || action.disabling() || action.publishing() || action.discarding()) {
            log.info("Log {} of instance {}: {} (published {} bytes, pending {})", action.logName(), target.id(),
                    result.status(), result.published(), result.pending());
        }
        return result;
    }

    /**
     * The caller's context with the store the guest publishes into; 403 as Trove's LogsNotAvailable without one. The
     * account is the caller's (an admin's own for another project's instance), as with Trove's guest, which uses the
     * caller's token and catalog: {@code log tail} and {@code log save} read it with the caller's credentials.
     */
    private RpcContext guestContext(AuthContext caller, GuestInstances.Target target, String requestId) {
        RpcContext context = caller.toRpcContext(requestId);
        ContextObjectStore.Endpoint endpoint = store.forGuest(context, caller.projectId(), target.id())
                .orElseThrow(() -> ApiException.forbidden("Log actions are not supported."));
        return ContextObjectStore.with(context, endpoint.accountUrl(), endpoint.token(), region);
    }

    /** Trove's {@code guest_log:action} schema; its messages name the offending key, never echo a whole body. */
    static GuestLogAction read(JsonNode body) {
        Violations v = Violations.create();
        if (Schemas.object(v, "", body) && Schemas.required(v, "", body, "name")) {
            Schemas.nonEmptyString(v, "name", body.get("name"));
            for (String flag : FLAGS) {
                if (body.has(flag)) {
                    Schemas.integer(v, flag, body.get(flag), 0, 1);
                }
            }
        }
        v.throwIfAny();
        return new GuestLogAction(body.get("name").asText(), flag(body, "enable"), flag(body, "disable"),
                flag(body, "publish"), flag(body, "discard"));
    }

    private static Integer flag(JsonNode body, String key) {
        JsonNode value = body.get(key);
        return value == null || value.isNull() ? null : value.asInt();
    }
}
