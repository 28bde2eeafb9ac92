package org.trovej.taskmanager.compute.local;

import java.nio.file.Path;

/**
 * Where the local back end keeps an instance: {@code <state-dir>/instances/<id>/} holding {@code volume/} (the
 * data volume, the guest's {@code data_dir}), {@code etc/} (the guest's configuration), {@code server.json} and
 * {@code volume.json} (what Nova and Cinder would know), {@code guest.log} and {@code guest.pid}.
 */
public final class LocalLayout {

    private final Path stateDir;

    public LocalLayout(Path stateDir) {
        this.stateDir = stateDir.toAbsolutePath().normalize();
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path instancesDir() {
        return stateDir.resolve("instances");
    }

    public Path instanceDir(String instanceId) {
        if (instanceId == null || !instanceId.matches("[A-Za-z0-9-]{1,64}")) {
            // ids become directory names: nothing that could climb out of the state directory
            throw new IllegalArgumentException("not an instance id: " + instanceId);
        }
        return instancesDir().resolve(instanceId);
    }

    public Path volumeDir(String instanceId) {
        return instanceDir(instanceId).resolve("volume");
    }

    /** The cluster directory inside the volume (the guest's layout: {@code <data_dir>/data}). */
    public Path pgData(String instanceId) {
        return volumeDir(instanceId).resolve("data");
    }

    public Path volumeRecord(String instanceId) {
        return instanceDir(instanceId).resolve("volume.json");
    }

    public Path etcDir(String instanceId) {
        return instanceDir(instanceId).resolve("etc");
    }

    public Path guestInfoConf(String instanceId) {
        return etcDir(instanceId).resolve("guest_info.conf");
    }

    public Path guestAgentConf(String instanceId) {
        return etcDir(instanceId).resolve("trove-guestagent.conf");
    }

    public Path serverRecord(String instanceId) {
        return instanceDir(instanceId).resolve("server.json");
    }

    public Path guestLog(String instanceId) {
        return instanceDir(instanceId).resolve("guest.log");
    }

    public Path guestPid(String instanceId) {
        return instanceDir(instanceId).resolve("guest.pid");
    }

    /**
     * The database's Unix socket directory: per instance, since every instance uses the same port and so the
     * same socket name. A socket path may not exceed 107 bytes; with a deep state directory it moves to a
     * short directory under /tmp.
     */
    public Path socketDir(String instanceId) {
        Path preferred = instanceDir(instanceId).resolve("run");
        if (preferred.resolve(".s.PGSQL.65535.lock").toString().length() <= 100) {
            return preferred;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "trovej-" + instanceId);
    }
}
