package org.trovej.api.root;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.error.ApiException;
import org.trovej.api.guest.DatastoreRules;
import org.trovej.api.guest.GuestDataClient;
import org.trovej.common.guest.GuestUser;
import org.trovej.api.instance.GuestInstances;
import org.trovej.api.validation.Schemas;
import org.trovej.api.validation.Violations;
import org.trovej.api.web.Timestamps;
import org.trovej.common.rpc.RpcContext;

/**
 * The root user of an instance (Trove's RootController with the default root controller of mysql, mariadb and
 * postgresql): whether root is enabled is answered from {@code root_enabled_history}, not by the guest; enable
 * and disable call the guest, then record the change in short transactions of their own (no transaction is held
 * across the guest call). A datastore without a root controller is Trove's DatastoreOperationNotSupported (501).
 */
@Service
public class RootService {

    private static final Logger log = LoggerFactory.getLogger(RootService.class);

    private final GuestInstances instances;
    private final GuestDataClient guest;
    private final RootHistoryRepository history;
    private final TransactionTemplate tx;

    public RootService(GuestInstances instances, GuestDataClient guest, RootHistoryRepository history,
                       TransactionTemplate tx) {
        this.instances = instances;
        this.guest = guest;
        this.history = history;
        this.tx = tx;
    }

    public boolean enabled(AuthContext caller, String instanceId) {
        GuestInstances.Target target = load(caller, instanceId, "index");
        verify(target);
        return enabled(target.id());
    }

    /**
     * Enables root, with the given password or one the guest makes up.
     *
     * @param body none, {@code {}} or {@code {"password": "..."}} (an empty or null password: the guest's)
     */
    public GuestUser enable(AuthContext caller, String instanceId, JsonNode body, String requestId) {
        String password = password(body);
        GuestInstances.Target target = load(caller, instanceId, "create");
        verify(target);
        GuestUser root = guest.enableRoot(context(caller, requestId), target.id(), password);
        tx.executeWithoutResult(s -> history.recordEnabled(target.id(), caller.userId(), Timestamps.nowUtc()));
        log.info("Root ({}) enabled on instance {}", root.name(), target.id());
        return root;
    }

    /** Disables root; 404 when root was never enabled (or is disabled already), as Trove answers. */
    public void disable(AuthContext caller, String instanceId, String requestId) {
        GuestInstances.Target target = load(caller, instanceId, "delete");
        verify(target);
        if (!enabled(target.id())) {
            throw ApiException.notFound("Root user has never been enabled on the instance.");
        }
        guest.disableRoot(context(caller, requestId), target.id());
        tx.executeWithoutResult(s -> history.recordDisabled(target.id(), Timestamps.nowUtc()));
        log.info("Root disabled on instance {}", target.id());
    }

    /**
     * The instance's root history as the management API shows it: when root was (last) enabled and by whom, or
     * nothing when root was never enabled. No guest is asked and no policy checked (the caller is an admin).
     */
    public Optional<RootHistory> history(String instanceId) {
        return history.findById(instanceId);
    }

    private boolean enabled(String instanceId) {
        Boolean enabled = tx.execute(s -> history.findById(instanceId).map(RootHistory::enabled).orElse(false));
        return Boolean.TRUE.equals(enabled);
    }

    /** Trove reads {@code password} from an object body and ignores anything else; a password must be a string. */
    static String password(JsonNode body) {
        if (body == null || !body.isObject() || !body.has("password") || body.get("password").isNull()) {
            return null;
        }
        Violations v = Violations.create();
        Schemas.string(v, "password", body.get("password"), 0, null, null);
        v.throwIfAny();
        String password = body.get("password").textValue();
        return password.isEmpty() ? null : password;
    }

    private GuestInstances.Target load(AuthContext caller, String instanceId, String operation) {
        GuestInstances.Target target = instances.load(caller, instanceId, "instance:extension:root:" + operation);
        if (target.manager() == null || !DatastoreRules.SUPPORTED_MANAGERS.contains(target.manager())) {
            throw ApiException.notImplemented("The 'root' operation is not supported for the '" + target.manager()
                    + "' datastore.");
        }
        return target;
    }

    private static void verify(GuestInstances.Target target) {
        target.requireManager(DatastoreRules.SUPPORTED_MANAGERS);
        target.requireRunning();
    }

    private static RpcContext context(AuthContext caller, String requestId) {
        return caller.toRpcContext(requestId);
    }
}
