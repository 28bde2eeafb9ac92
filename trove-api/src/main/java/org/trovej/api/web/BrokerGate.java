package org.trovej.api.web;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.HandlerInterceptor;
import org.trovej.api.error.Faults;
import org.trovej.common.rpc.RpcTransport;

/**
 * While the broker connection is down (RabbitMQ restarting, unreachable), a write that needs the task manager or a
 * guest is refused with 503 before anything is changed, rather than recorded and then failed for want of a
 * message: the client tries again later and finds everything as it was. Reads keep working from the database.
 * Writes that only touch the database (quotas, datastore version registration, creating a configuration group, an
 * instance's backup schedule) go on. Runs after authentication, so the unauthenticated still get their 401.
 */
public class BrokerGate implements HandlerInterceptor {

    static final String MESSAGE = "The message broker is unreachable, so the request could not be passed on; "
            + "nothing was changed. Please try again later.";
    private static final Logger log = LoggerFactory.getLogger(BrokerGate.class);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final RpcTransport transport;

    public BrokerGate(RpcTransport transport) {
        this.transport = transport;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (!WRITES.contains(request.getMethod()) || transport.isOpen() || databaseOnly(request)) {
            return true;
        }
        log.warn("503 for {} {}: the broker connection is down", request.getMethod(), request.getRequestURI());
        Faults.write(response, 503, MESSAGE);
        return false;
    }

    /**
     * {@code .../mgmt/quotas/...}, {@code .../mgmt/datastore-versions...}, {@code POST .../configurations},
     * {@code .../instances/{id}/backup_schedule}.
     */
    static boolean databaseOnly(HttpServletRequest request) {
        String[] parts = request.getRequestURI().substring(request.getContextPath().length()).split("/");
        // "", "v1.0", project, resource, ...
        if (parts.length < 4) {
            return false;
        }
        if ("mgmt".equals(parts[3])) {
            return parts.length > 4 && ("quotas".equals(parts[4]) || parts[4].startsWith("datastore"));
        }
        if ("instances".equals(parts[3])) {
            return parts.length == 6 && "backup_schedule".equals(parts[5]);
        }
        return "configurations".equals(parts[3]) && parts.length == 4 && "POST".equals(request.getMethod());
    }
}
