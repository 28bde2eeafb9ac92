package org.trovej.service.status;

/**
 * The PostgreSQL notification channel on which the conductor announces, at commit, that a guest of an instance
 * that is still building has reported a status that may end its build; the task manager's build monitor listens
 * and finishes the build at once instead of at its next poll. The notification carries nothing: the monitor
 * reads the database as at every poll, and polling remains the guarantee (a lost notification costs one poll).
 */
public final class GuestStatusChannel {

    public static final String NAME = "trovej_guest_status";

    private GuestStatusChannel() {
    }
}
