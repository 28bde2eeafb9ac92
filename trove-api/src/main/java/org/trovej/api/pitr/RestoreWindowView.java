package org.trovej.api.pitr;

import org.trovej.service.pitr.RestoreWindow;

/**
 * {@code restore_window} of an instance's detail view (TroveJ's, beyond Trove): the first and last moment it can be
 * restored to, whole seconds, UTC, in Trove's time format. Only present while the instance has a window.
 */
public record RestoreWindowView(String earliest, String latest) {

    static RestoreWindowView of(RestoreWindow window) {
        return new RestoreWindowView(RestoreTimes.ceiling(window.earliest()), RestoreTimes.floor(window.latest()));
    }
}
