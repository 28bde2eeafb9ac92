package org.trovej.guestagent.datastore;

/** The agent's waits between looks: an interrupt (the agent stopping) ends the operation with a {@link GuestError}. */
public final class Pause {

    private Pause() {
    }

    public static void sleep(long millis) {
        sleep(millis, null);
    }

    /** @param during what was being waited for, for the error's message ("while ..."), or null */
    public static void sleep(long millis, String during) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestError(during == null ? "interrupted" : "interrupted " + during);
        }
    }
}
