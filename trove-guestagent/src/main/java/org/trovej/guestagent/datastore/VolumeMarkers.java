package org.trovej.guestagent.datastore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Empty files on the volume that carry a guest's state across agent restarts; they belong with the data
 * (a volume moved to a rebuilt VM keeps them), not with the VM.
 */
final class VolumeMarkers {

    private final Supplier<Path> volume;

    VolumeMarkers(Supplier<Path> volume) {
        this.volume = volume;
    }

    boolean has(String name) {
        return Files.exists(volume.get().resolve(name));
    }

    void set(String name) {
        Path marker = volume.get().resolve(name);
        try {
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write marker " + marker, e);
        }
    }

    void clear(String name) {
        Path marker = volume.get().resolve(name);
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove marker " + marker, e);
        }
    }
}
