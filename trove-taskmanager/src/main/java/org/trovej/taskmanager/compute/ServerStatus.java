package org.trovej.taskmanager.compute;

/**
 * A server's state in Nova's words, as {@code instances.server_status} stores it. The local back end uses
 * BUILD, ACTIVE (guest process alive), SHUTDOWN (powered off) and DELETED; Nova adds the others.
 */
public enum ServerStatus {
    BUILD, ACTIVE, SHUTDOWN, REBOOT, HARD_REBOOT, RESIZE, VERIFY_RESIZE, ERROR, DELETED, UNKNOWN;

    /** Nova's spelling of a status; anything unknown is UNKNOWN rather than an error. */
    public static ServerStatus of(String novaStatus) {
        if (novaStatus == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(novaStatus.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
