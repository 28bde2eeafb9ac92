package org.trovej.common.status;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Trove's guest service statuses: the code stored in {@code service_statuses.status_id}, the description a
 * guest sends in its heartbeat, and the name the API shows as {@code operating_status}.
 */
public enum ServiceStatus {
    RUNNING(0x01, "running", "ACTIVE"),
    HEALTHY(0x21, "healthy", "HEALTHY"),
    BLOCKED(0x02, "blocked", "BLOCKED"),
    PAUSED(0x03, "paused", "SHUTDOWN"),
    SHUTDOWN(0x04, "shutdown", "SHUTDOWN"),
    CRASHED(0x06, "crashed", "SHUTDOWN"),
    FAILED(0x08, "failed to spawn", "FAILED"),
    BUILDING(0x09, "building", "BUILD"),
    INSTANCE_READY(0x19, "instance ready", "BUILD"),
    PROMOTING(0x10, "promoting replica", "PROMOTE"),
    EJECTING(0x11, "ejecting replica source", "EJECT"),
    LOGGING(0x12, "transferring guest logs", "LOGGING"),
    UNKNOWN(0x16, "unknown", "ERROR"),
    NEW(0x17, "new", "NEW"),
    DELETED(0x05, "deleted", "DELETED"),
    FAILED_TIMEOUT_GUESTAGENT(0x18, "guestagent error", "ERROR"),
    RESTART_REQUIRED(0x20, "restart required", "RESTART_REQUIRED"),
    RESTARTING(0x22, "restarting", "RESTARTING"),
    UPGRADING(0x22, "upgrading", "UPGRADING");

    private static final Map<String, ServiceStatus> BY_DESCRIPTION = Stream.of(values())
            .collect(Collectors.toMap(ServiceStatus::description, Function.identity()));

    private final int code;
    private final String description;
    private final String apiName;

    ServiceStatus(int code, String description, String apiName) {
        this.code = code;
        this.description = description;
        this.apiName = apiName;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    public String apiName() {
        return apiName;
    }

    /** The status a heartbeat's {@code service_status} names (exact, lower case, as Trove matches it). */
    public static ServiceStatus fromDescription(String description) {
        ServiceStatus status = description == null ? null : BY_DESCRIPTION.get(description.toLowerCase(Locale.ROOT));
        if (status == null) {
            throw new IllegalArgumentException("unknown service status '" + description + "'");
        }
        return status;
    }

    /** The status stored under a code; 0x22 reads back as {@code restarting}, as in Trove. */
    public static ServiceStatus fromCode(int code) {
        for (ServiceStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown service status code " + code);
    }
}
