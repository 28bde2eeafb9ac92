package org.trovej.taskmanager.flow;

/**
 * What a {@link GuestCallFlow} is: one guest method, called as a flow of the same name.
 *
 * @param method         the guest method, also the flow's and its single step's name ({@code restart}, ...)
 * @param operation      what it is, as a user reads it in claim faults ("restart", "database stop")
 * @param highTimeout    whether the call waits the high timeout (else the low one)
 * @param failureMessage the fault's message before the cause, e.g. "The database could not be restarted: "
 * @param endsTask       whether the task goes back to NONE when the flow ends, whatever the outcome
 * @param doneMessage    logged with the instance's id when the call succeeded, or null
 */
public record GuestCall(String method, String operation, boolean highTimeout, String failureMessage,
                        boolean endsTask, String doneMessage) {

    public static final String RESTART = "restart";
    public static final String STOP_DB = "stop_db";

    /**
     * The flows that are one guest call: short, bounded by the call's timeout, and finishing on their own. The guest
     * reports the state it reached (e.g. "shutdown") before it answers, so the flow closes a moment after that
     * state is visible; an operation arriving in that moment waits for it ({@link ClaimOutcomes}).
     */
    static boolean isGuestCallFlow(String flow) {
        return RESTART.equals(flow) || STOP_DB.equals(flow);
    }

    public GuestCall {
        if (!isGuestCallFlow(method)) {
            throw new IllegalArgumentException("not a guest call flow: " + method + " (GuestCall lists them)");
        }
    }
}
