package org.trovej.guestagent.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.os.CommandResult;
import org.trovej.guestagent.os.Commands;

/** What is mounted where, and mounting and unmounting a device, with the system's own mount tools. */
final class VolumeMounts {

    /** A file system mounted at a directory: its source device and type. */
    record Mounted(Path source, String fstype) {

        /** The same device, whichever of its names (a /dev/disk/by-id link, say) each side uses. */
        boolean isFrom(Path device) {
            return realPath(source).equals(realPath(device));
        }
    }

    private final Commands commands;

    VolumeMounts(Commands commands) {
        this.commands = commands;
    }

    /** What is mounted exactly at {@code mountPoint}; empty when it is not a mount point. */
    Optional<Mounted> at(Path mountPoint) {
        CommandResult result = commands.run(List.of("findmnt", "-n", "-r", "-o", "SOURCE,FSTYPE", "--mountpoint",
                mountPoint.toString()), null, null, Duration.ofSeconds(30));
        if (!result.ok() || result.stdout().isBlank()) {
            return Optional.empty();
        }
        // the last line is the file system on top when several were mounted over each other
        String[] lines = result.stdout().strip().split("\n");
        String[] fields = lines[lines.length - 1].strip().split(" ");
        return Optional.of(new Mounted(Path.of(unescape(fields[0])), fields.length > 1 ? fields[1] : ""));
    }

    void mount(Path device, String fstype, Path mountPoint) {
        try {
            Files.createDirectories(mountPoint);
        } catch (IOException e) {
            throw new GuestError("Could not create mount point " + mountPoint + ": " + e.getMessage(), e);
        }
        CommandResult result = commands.run(List.of("mount", "-t", fstype, "-o", "defaults,noatime",
                device.toString(), mountPoint.toString()), null, null, Duration.ofMinutes(5));
        if (!result.ok()) {
            throw new GuestError("Could not mount " + device + " (" + fstype + ") at " + mountPoint + ": "
                    + result.tail(3));
        }
    }

    void unmount(Path mountPoint) {
        CommandResult result = commands.run(List.of("umount", mountPoint.toString()), null, null,
                Duration.ofMinutes(5));
        if (!result.ok()) {
            throw new GuestError("Could not unmount " + mountPoint + " (stop the database first): " + result.tail(3));
        }
    }

    /** findmnt's raw output writes a space in a path as {@code \x20}. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.charAt(i + 1) == 'x') {
                out.append((char) Integer.parseInt(field.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
