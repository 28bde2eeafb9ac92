package org.trovej.guestagent.volume;

import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.os.Commands;

/**
 * The block device the database's data lives on (Nova/Cinder: prepare's {@code device_path}), mounted at the
 * manager's data directory: formatted only when blank, never twice, so a redelivered prepare or a rebuilt
 * guest keeps its data. With no device (the local back end, or {@code volume_device = none}) every operation
 * here is a no-op and says so, and the caller keeps treating the volume as a plain directory. Configuration:
 * see {@link VolumeSettings}.
 */
public final class DataVolume {

    private static final Logger log = LoggerFactory.getLogger(DataVolume.class);

    private final VolumeSettings settings;
    private final Commands commands = Commands.asAgent();
    private final VolumeMounts mounts = new VolumeMounts(commands);

    public DataVolume(VolumeSettings settings) {
        this.settings = settings;
    }

    public VolumeSettings settings() {
        return settings;
    }

    /**
     * prepare: puts a file system on the device if it has none and mounts it at {@code mountPoint}, then
     * remembers both. Returns false when there is no device to use.
     */
    public boolean attach(String requestedDevice, Path mountPoint) {
        Optional<Path> chosen = settings.deviceFor(requestedDevice);
        if (chosen.isEmpty()) {
            return false;
        }
        BlockDevice device = new BlockDevice(chosen.get(), commands);
        if (mounted(device, mountPoint)) {
            log.info("Volume {} is already mounted at {}", device.path(), mountPoint);
        } else {
            device.awaitPresent(settings.deviceWait());
            String fstype = device.filesystem().orElseGet(() -> {
                log.info("Volume {} is blank: creating the file system ({})", device.path(), settings.fstype());
                device.format(settings.fstype());
                return settings.fstype();
            });
            mounts.mount(device.path(), fstype, mountPoint);
            log.info("Volume {} ({}) mounted at {}", device.path(), fstype, mountPoint);
        }
        new MountRecord(device.path(), mountPoint).write(settings.mountRecord());
        return true;
    }

    /**
     * The agent started (after a VM reboot, say): mounts the device it used before, or the configured one, if
     * it is not mounted yet. A blank device is left alone: it has not been prepared.
     */
    public void remount(Path mountPoint) {
        Optional<Path> known = knownDevice(mountPoint);
        if (known.isEmpty()) {
            return;
        }
        BlockDevice device = new BlockDevice(known.get(), commands);
        if (mounted(device, mountPoint)) {
            return;
        }
        device.awaitPresent(settings.deviceWait());
        Optional<String> fstype = device.filesystem();
        if (fstype.isEmpty()) {
            log.info("Volume {} has no file system yet: waiting for prepare", device.path());
            return;
        }
        mounts.mount(device.path(), fstype.get(), mountPoint);
        log.info("Volume {} ({}) mounted again at {}", device.path(), fstype.get(), mountPoint);
    }

    /** Stops the database for an offline resize and returns what brings it back (nothing if it was down). */
    @FunctionalInterface
    public interface Downtime {
        Runnable begin();
    }

    /**
     * resize_fs, after the volume was extended: grows the file system to the device's new size. Online (the
     * control plane's usual request): in place while the database runs; when the kernel refuses that here,
     * the database is stopped for an offline resize and started again. Offline: as Trove's offline path, with
     * the volume unmounted (and left as it was found). Returns where the volume is mounted, or empty when
     * there is no device.
     */
    public Optional<Path> grow(Path mountPoint, boolean online, Downtime downtime) {
        Optional<Path> known = knownDevice(mountPoint);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        BlockDevice device = new BlockDevice(known.get(), commands);
        device.awaitPresent(settings.deviceWait());
        device.refreshSize();
        if (online) {
            if (!mounted(device, mountPoint)) {
                remount(mountPoint);
            }
            String fstype = mounts.at(mountPoint).map(VolumeMounts.Mounted::fstype)
                    .orElseThrow(() -> new GuestError("Volume " + device.path() + " could not be mounted at "
                            + mountPoint + ": it has no file system"));
            try {
                device.growOnline(fstype, mountPoint);
                log.info("File system on {} grown online", device.path());
                return Optional.of(mountPoint);
            } catch (BlockDevice.OnlineGrowRefused e) {
                log.warn("{}: growing it offline, the database stops meanwhile", e.getMessage());
            }
        }
        growOffline(device, mountPoint, downtime);
        return Optional.of(mountPoint);
    }

    private void growOffline(BlockDevice device, Path mountPoint, Downtime downtime) {
        Optional<String> mountedType = mounted(device, mountPoint)
                ? mounts.at(mountPoint).map(VolumeMounts.Mounted::fstype) : Optional.empty();
        String fstype = mountedType.or(device::filesystem).orElseThrow(() -> new GuestError("Volume "
                + device.path() + " has no file system to grow: prepare the instance first"));
        if (mountedType.isEmpty()) {
            device.growOffline(fstype);
            log.info("File system on {} grown (unmounted)", device.path());
            return;
        }
        device.requireOfflineGrowable(fstype);
        Runnable restart = downtime.begin();
        try {
            mounts.unmount(mountPoint);
            try {
                device.growOffline(fstype);
                log.info("File system on {} grown offline", device.path());
            } finally {
                mounts.mount(device.path(), fstype, mountPoint);
            }
        } finally {
            restart.run();
        }
    }

    /** mount_volume: mounts the known device at {@code mountPoint}; false when there is no device. */
    public boolean mount(Path mountPoint) {
        if (knownDevice(mountPoint).isEmpty()) {
            return false;
        }
        remount(mountPoint);
        if (mounts.at(mountPoint).isEmpty()) {
            throw new GuestError("Volume " + knownDevice(mountPoint).get() + " has no file system: prepare the "
                    + "instance first");
        }
        return true;
    }

    /** unmount_volume: unmounts the known device if it is mounted; false when there is no device. */
    public boolean unmount(Path mountPoint) {
        Optional<Path> known = knownDevice(mountPoint);
        if (known.isEmpty()) {
            return false;
        }
        if (mounted(new BlockDevice(known.get(), commands), mountPoint)) {
            mounts.unmount(mountPoint);
            log.info("Volume {} unmounted from {}", known.get(), mountPoint);
        }
        return true;
    }

    /** The configured device, else the one prepare mounted at {@code mountPoint}; empty for a directory volume. */
    private Optional<Path> knownDevice(Path mountPoint) {
        if (settings.noDevice()) {
            return Optional.empty();
        }
        if (settings.configuredDevice().isPresent()) {
            return settings.configuredDevice();
        }
        return MountRecord.read(settings.mountRecord())
                .filter(r -> r.mountPoint().equals(mountPoint))
                .map(MountRecord::device);
    }

    /**
     * Whether {@code device} is mounted at {@code mountPoint}; fails when something else is, rather than mount
     * the volume over it or write the database onto the wrong disk.
     */
    private boolean mounted(BlockDevice device, Path mountPoint) {
        Optional<VolumeMounts.Mounted> current = mounts.at(mountPoint);
        if (current.isEmpty()) {
            return false;
        }
        if (!current.get().isFrom(device.path())) {
            throw new GuestError(mountPoint + " already has " + current.get().source() + " mounted, not the volume "
                    + device.path() + ": unmount it, or set volume_device to the disk holding the data");
        }
        return true;
    }
}
