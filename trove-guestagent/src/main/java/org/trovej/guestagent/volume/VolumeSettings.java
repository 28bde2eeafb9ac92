package org.trovej.guestagent.volume;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.trovej.guestagent.config.GuestConfig;

/**
 * How the agent finds and prepares the block device holding the data ({@code [DEFAULT]}, TroveJ's keys):
 * <ul>
 *   <li>{@code volume_device}: the device to use, whatever prepare's {@code device_path} says (hypervisors
 *   often name the disk differently from what Nova reports). {@code none}: the data directory is given as it
 *   is, nothing is mounted. Unset: prepare's {@code device_path}; when that is null too (the local back end),
 *   the volume is a plain directory.</li>
 *   <li>{@code volume_fstype}: the file system put on a blank device (default {@code ext4}; ext2/3/4 and xfs
 *   can be grown by {@code resize_fs})</li>
 *   <li>{@code volume_device_wait}: seconds to wait for the device to appear (default 60: a hot-plugged disk
 *   shows up some time after the VM boots)</li>
 *   <li>{@code state_dir}: where the agent records which device it mounted where (default
 *   {@code /var/lib/trove-guestagent}), so {@code resize_fs} and a restart after a VM reboot know the device
 *   without prepare's arguments. It must not be on the volume: it is needed before the volume is mounted.</li>
 * </ul>
 */
public record VolumeSettings(Optional<Path> configuredDevice, boolean noDevice, String fstype, Duration deviceWait,
                             Path stateDir) {

    public static final String NONE = "none";
    private static final Set<String> FSTYPES = Set.of("ext2", "ext3", "ext4", "xfs");

    public static VolumeSettings from(GuestConfig config) {
        String device = config.text("volume_device");
        boolean none = device != null && device.equalsIgnoreCase(NONE);
        if (device != null && !none && !device.startsWith("/")) {
            throw new IllegalArgumentException("volume_device must be an absolute device path or 'none', not '"
                    + device + "'");
        }
        String fstype = Optional.ofNullable(config.text("volume_fstype")).orElse("ext4").toLowerCase(Locale.ROOT);
        if (!FSTYPES.contains(fstype)) {
            throw new IllegalArgumentException("volume_fstype must be one of " + FSTYPES.stream().sorted().toList()
                    + ", not '" + fstype + "'");
        }
        Duration wait = seconds(config.text("volume_device_wait"));
        Path stateDir = Path.of(Optional.ofNullable(config.text("state_dir")).orElse("/var/lib/trove-guestagent"));
        return new VolumeSettings(none || device == null ? Optional.empty() : Optional.of(Path.of(device)), none,
                fstype, wait, stateDir.toAbsolutePath().normalize());
    }

    private static Duration seconds(String value) {
        if (value == null) {
            return Duration.ofSeconds(60);
        }
        try {
            long seconds = Long.parseLong(value);
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("volume_device_wait must be a number of seconds, not '" + value + "'");
        }
    }

    /** The device prepare should put the data on, given what prepare says; empty: a plain directory. */
    public Optional<Path> deviceFor(String requestedDevice) {
        if (noDevice) {
            return Optional.empty();
        }
        if (configuredDevice.isPresent()) {
            return configuredDevice;
        }
        return requestedDevice == null || requestedDevice.isBlank() ? Optional.empty()
                : Optional.of(Path.of(requestedDevice.strip()));
    }

    public Path mountRecord() {
        return stateDir.resolve("volume.mount");
    }
}
