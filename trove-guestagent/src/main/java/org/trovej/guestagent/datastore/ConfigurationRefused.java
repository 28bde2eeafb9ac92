package org.trovej.guestagent.datastore;

/**
 * The engine refused a configuration group's value: the request is at fault, not the instance. It goes to the
 * caller as Trove's {@code trove.common.exception.UnprocessableEntity} (Trove's API answers it with 422), with
 * a message naming the parameter and the engine's own reason:
 * {@code Configuration parameter 'work_mem' refused by the database: invalid value for parameter "work_mem": "lots"}.
 * Whatever the refused call changed has been put back when it is thrown.
 */
public final class ConfigurationRefused extends GuestError {

    public static final String EXC_TYPE = "UnprocessableEntity";

    private final String parameter;

    public ConfigurationRefused(String parameter, String reason) {
        this(parameter, reason, null);
    }

    public ConfigurationRefused(String parameter, String reason, Throwable cause) {
        super(EXC_TYPE, "Configuration parameter '" + parameter + "' refused by the database: " + reason, cause);
        this.parameter = parameter;
    }

    /** The parameter the engine refused, as the configuration group names it. */
    public String parameter() {
        return parameter;
    }
}
