package org.trovej.taskmanager.compute.local;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The local back end's one "image": what a server boots from here is the guest agent build the host runs (its
 * configuration is written per server), so there is one image, with a fixed id a datastore version can name and
 * Trove's management {@code rebuild} can be asked for. Rebuilding from it restarts the server's guest from the
 * newest build; any other image id is refused.
 */
public final class LocalImage {

    public static final String NAME = "trovej-local-guest";
    /** A name-based UUID of {@link #NAME}: the same on every host and every start. */
    public static final String ID = UUID.nameUUIDFromBytes(NAME.getBytes(StandardCharsets.UTF_8)).toString();

    private LocalImage() {
    }
}
