package org.trovej.guestagent.volume;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Which device the agent mounted where, kept off the volume (see {@link VolumeSettings}'s {@code state_dir}):
 * the agent needs it to find the volume before the volume is mounted.
 */
record MountRecord(Path device, Path mountPoint) {

    static Optional<MountRecord> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            values.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String device = values.getProperty("device");
        String mountPoint = values.getProperty("mount_point");
        return device == null || mountPoint == null ? Optional.empty()
                : Optional.of(new MountRecord(Path.of(device), Path.of(mountPoint)));
    }

    void write(Path file) {
        Properties values = new Properties();
        values.setProperty("device", device.toString());
        values.setProperty("mount_point", mountPoint.toString());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp)) {
                values.store(out, "written by the trove guest agent");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
