package org.trovej.service.pitr;

import java.time.Instant;

/** The moments an instance can be restored to: from its oldest usable backup's end to the end of its shipped log. */
public record RestoreWindow(Instant earliest, Instant latest) {

    public boolean contains(Instant moment) {
        return !moment.isBefore(earliest) && !moment.isAfter(latest);
    }
}
