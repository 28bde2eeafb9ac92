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

/** A disk the data lives on: waiting for it, what file system it holds, formatting and growing it. */
final class BlockDevice {

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    /** blkid's exit status when it found nothing it recognises on the device. */
    private static final int BLKID_NOTHING_FOUND = 2;

    private final Path path;
    private final Commands commands;

    BlockDevice(Path path, Commands commands) {
        this.path = path;
        this.commands = commands;
    }

    Path path() {
        return path;
    }

    /** Waits until the device exists (a hot-plugged disk appears late); fails naming the device and the wait. */
    void awaitPresent(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!Files.exists(path)) {
            if (System.nanoTime() >= deadline) {
                throw new GuestError("Volume device " + path + " did not appear within " + wait.toSeconds()
                        + " s: check that the volume is attached to this server, or set volume_device in the "
                        + "guest agent's configuration to the name this server gives the disk");
            }
            sleep(250);
        }
        if (!isBlockDevice()) {
            throw new GuestError("Volume device " + path + " is not a block device: set volume_device to the "
                    + "disk holding the data, or to 'none' when the data directory needs no mounting");
        }
    }

    private boolean isBlockDevice() {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return (mode & S_IFMT) == S_IFBLK;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * The file system on the device, probed on the device itself (blkid's cache may be stale after a
     * re-attach); empty when the device is blank. Anything else recognised there (a partition table, LVM)
     * fails: formatting over it could destroy data.
     */
    Optional<String> filesystem() {
        CommandResult probe = run(List.of("blkid", "-p", "-o", "export", path.toString()), Duration.ofSeconds(60));
        if (probe.exitCode() == BLKID_NOTHING_FOUND) {
            return Optional.empty();
        }
        if (!probe.ok()) {
            throw new GuestError("Could not probe volume device " + path + ": " + probe.tail(3));
        }
        String type = null;
        String usage = null;
        for (String line : probe.stdout().split("\n")) {
            if (line.startsWith("TYPE=")) {
                type = line.substring(5).strip();
            } else if (line.startsWith("USAGE=")) {
                usage = line.substring(6).strip();
            }
        }
        if (type == null || (usage != null && !usage.equals("filesystem"))) {
            throw new GuestError("Volume device " + path + " holds something other than a file system ("
                    + probe.stdout().strip().replace('\n', ' ') + "): refusing to format it; give the guest a "
                    + "blank volume or one with a file system");
        }
        return Optional.of(type);
    }

    void format(String fstype) {
        List<String> command = fstype.equals("xfs")
                ? List.of("mkfs.xfs", "-q", path.toString())
                // -m 5: root's reserve, so the agent can still work when the database filled the disk
                : List.of("mkfs." + fstype, "-q", "-F", "-m", "5", path.toString());
        CommandResult result = run(command, Duration.ofMinutes(30));
        if (!result.ok()) {
            throw new GuestError("Could not create a " + fstype + " file system on " + path + ": " + result.tail(3));
        }
    }

    /**
     * Makes the kernel see the device's new size. A loop device keeps the size its backing file had when it
     * was set up, so it is told to look again (the disks of a VM need nothing: a no-op for them).
     */
    void refreshSize() {
        if (isLoopDevice()) {
            CommandResult refresh = run(List.of("losetup", "-c", path.toString()), Duration.ofSeconds(60));
            if (!refresh.ok()) {
                throw new GuestError("Could not refresh the size of loop device " + path + ": " + refresh.tail(3));
            }
        }
    }

    /**
     * Grows the file system mounted at {@code mountPoint} to the device's size while it is in use. Fails
     * with {@link OnlineGrowRefused} when the kernel does not let this process do it (ext4's online resize
     * needs CAP_SYS_RESOURCE, which containers often drop).
     */
    void growOnline(String fstype, Path mountPoint) {
        List<String> command = switch (fstype) {
            case "ext2", "ext3", "ext4" -> List.of("resize2fs", path.toString());
            case "xfs" -> List.of("xfs_growfs", mountPoint.toString());
            default -> throw new GuestError("Cannot grow a " + fstype + " file system (volume device " + path + ")");
        };
        CommandResult result = run(command, Duration.ofHours(1));
        if (!result.ok()) {
            String reason = result.tail(3);
            if (reason.contains("Permission denied") || reason.contains("Operation not permitted")) {
                throw new OnlineGrowRefused("The file system on " + path + " cannot be grown while mounted here: "
                        + reason);
            }
            throw new GuestError("Could not grow the file system on " + path + ": " + reason);
        }
    }

    /** Checks, then grows the unmounted file system (resize2fs refuses an unchecked one). */
    void growOffline(String fstype) {
        requireOfflineGrowable(fstype);
        CommandResult check = run(List.of("e2fsck", "-f", "-p", path.toString()), Duration.ofHours(1));
        // 1: errors were corrected; the file system is consistent now
        if (check.exitCode() != 0 && check.exitCode() != 1) {
            throw new GuestError("The file system on " + path + " needs repair before it can be grown (e2fsck exit "
                    + check.exitCode() + "): " + check.tail(3));
        }
        CommandResult result = run(List.of("resize2fs", path.toString()), Duration.ofHours(1));
        if (!result.ok()) {
            throw new GuestError("Could not grow the file system on " + path + ": " + result.tail(3));
        }
    }

    /** Fails before anything is stopped or unmounted when only an online resize can grow {@code fstype}. */
    void requireOfflineGrowable(String fstype) {
        if (!fstype.startsWith("ext")) {
            throw new GuestError("A " + fstype + " file system can only be grown while mounted (volume device "
                    + path + "): mount the volume and resize it online");
        }
    }

    /** The kernel refused to grow a mounted file system: it can still be grown unmounted. */
    static final class OnlineGrowRefused extends GuestError {
        OnlineGrowRefused(String message) {
            super(message);
        }
    }

    private boolean isLoopDevice() {
        try {
            return path.toRealPath().getFileName().toString().startsWith("loop");
        } catch (IOException e) {
            return false;
        }
    }

    private CommandResult run(List<String> command, Duration timeout) {
        try {
            return commands.run(command, null, null, timeout);
        } catch (RuntimeException e) {
            throw new GuestError("Could not run " + command.get(0) + " on volume device " + path + ": "
                    + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestError("interrupted while waiting for the volume device");
        }
    }
}
