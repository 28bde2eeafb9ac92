package org.trovej.api.instance;

import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.error.ApiException;
import org.trovej.common.status.ServiceStatus;

/**
 * Finds the instance a database, user or root request is about, as Trove's extension controllers do: first the
 * lookup and the policy check (another project's instance is "not found", exactly like an unknown id), then,
 * when the request gets that far, Trove's load_and_verify: the datastore must be one whose databases and users
 * the API manages, and its database must be up. The check reads the stored records in one short read-only
 * transaction, so no database connection is held while the guest is called.
 */
@Component
public class GuestInstances {

    /** Trove's MYSQL_RESPONSIVE_STATUSES. */
    private static final Set<ServiceStatus> RESPONSIVE = Set.of(ServiceStatus.RUNNING, ServiceStatus.HEALTHY);
    /** A running backup does not stop Trove from managing databases and users. */
    private static final Set<String> READY_STATUSES = Set.of("ACTIVE", "BACKUP");
    /** No guest agent answers in these: not started, failed to start, or silent beyond the heartbeat expiry. */
    private static final Set<ServiceStatus> NO_GUEST = Set.of(ServiceStatus.NEW, ServiceStatus.BUILDING,
            ServiceStatus.FAILED, ServiceStatus.FAILED_TIMEOUT_GUESTAGENT, ServiceStatus.UNKNOWN,
            ServiceStatus.DELETED);

    private final InstanceLoader loader;
    private final Policy policy;

    GuestInstances(InstanceLoader loader, Policy policy) {
        this.loader = loader;
        this.policy = policy;
    }

    /**
     * An instance as a database/user/root request sees it.
     *
     * @param manager the datastore version's manager ({@code postgresql}, {@code mysql}, ...), null if unknown
     * @param state   derived as the instance's show derives it, with the heartbeat expiry applied
     */
    public record Target(String id, String tenantId, String manager, InstanceState state) {

        /** Trove's load_and_verify datastore check: 422 "Operation not supported for datastore X." */
        public void requireManager(Set<String> managers) {
            if (manager == null || !managers.contains(manager)) {
                throw ApiException.unprocessable("Operation not supported for datastore " + (manager == null ? "None"
                        : manager) + ".");
            }
        }

        /**
         * Trove's load_and_verify readiness check: the guest reports its database running or healthy (and has
         * reported within the heartbeat expiry), and no task is running on an active server; else 422 naming
         * what is in the way.
         */
        public void requireRunning() {
            ServiceStatus service = state.service();
            if (!RESPONSIVE.contains(service)) {
                throw notReady(service.description());
            }
            String status = state.status();
            if (!READY_STATUSES.contains(status)) {
                throw notReady(status);
            }
        }

        /**
         * The guest agent is there to answer (guest logs need no running database: an admin publishes the guest's
         * own log to find out why it is not running): 422 while the instance is still being built, after its build
         * failed, or when its guest has not reported within the heartbeat expiry. Trove calls the guest anyway and
         * answers a GuestTimeout (400) a minute later.
         */
        public void requireGuest() {
            ServiceStatus service = state.service();
            if (NO_GUEST.contains(service)) {
                throw notReady(service.description());
            }
        }

        private ApiException notReady(String status) {
            return ApiException.unprocessable("Instance " + id + " is not ready, status: " + status + ".");
        }
    }

    /**
     * The caller's instance (an admin's: any instance), checked against the policy rule; 404 when there is none
     * the caller may see.
     */
    @Transactional(readOnly = true)
    public Target load(AuthContext caller, String id, String rule) {
        InstanceViews.Loaded loaded = loader.detail(caller, id);
        Instance instance = loaded.instance();
        policy.authorize(caller, rule, instance.getTenantId());
        String manager = loaded.datastore() == null ? null : loaded.datastore().version().getManager();
        return new Target(instance.getId(), instance.getTenantId(), manager, loaded.state());
    }
}
