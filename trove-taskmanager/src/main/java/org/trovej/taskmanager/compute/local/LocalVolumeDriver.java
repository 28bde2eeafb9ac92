package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;
import org.trovej.taskmanager.compute.ComputeException;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.compute.VolumeDriver;
import org.trovej.taskmanager.compute.VolumeRequest;
import org.trovej.taskmanager.compute.VolumeStatus;

/**
 * A volume is the directory {@code <state-dir>/instances/<id>/volume}, given to the databases' OS user; its
 * size is a record ({@code volume.json}) rather than a quota: extending raises the record. The volume id is
 * the instance id.
 */
public class LocalVolumeDriver implements VolumeDriver {

    private final LocalLayout layout;
    private final LocalProperties properties;

    public LocalVolumeDriver(LocalLayout layout, LocalProperties properties) {
        this.layout = layout;
        this.properties = properties;
    }

    @Override
    public Volume createVolume(VolumeRequest request) {
        String id = request.instanceId();
        Optional<Volume> existing = findVolume(id);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (request.sizeGb() <= 0) {
            throw new ComputeException("volume size must be at least 1 GB, not " + request.sizeGb());
        }
        Path dir = layout.volumeDir(id);
        try {
            Files.createDirectories(dir);
            String owner = HostUsers.databaseUser(properties);
            if (owner != null) {
                HostUsers.requireReachable(dir, owner);
                HostUsers.chown(dir, owner);
            }
        } catch (IOException e) {
            throw new ComputeException("cannot create volume directory " + dir + ": " + e.getMessage(), e);
        }
        writeRecord(id, request.sizeGb());
        return volume(id, request.sizeGb());
    }

    @Override
    public Optional<Volume> findVolume(String volumeId) {
        return JsonRecords.read(layout.volumeRecord(volumeId))
                .filter(r -> Files.isDirectory(layout.volumeDir(volumeId)))
                .map(r -> volume(volumeId, r.path("size_gb").asInt()));
    }

    @Override
    public Optional<Volume> findVolumeOf(String instanceId) {
        return findVolume(instanceId); // the volume id is the instance id
    }

    @Override
    public Volume extendVolume(String volumeId, int newSizeGb) {
        Volume current = findVolume(volumeId)
                .orElseThrow(() -> new ComputeException("volume " + volumeId + " does not exist"));
        if (newSizeGb < current.sizeGb()) {
            throw new ComputeException("a volume cannot shrink (" + current.sizeGb() + " GB to " + newSizeGb + " GB)");
        }
        writeRecord(volumeId, newSizeGb);
        return volume(volumeId, newSizeGb);
    }

    /** A directory grows with the file system it is on: nothing to detach. */
    @Override
    public boolean extendsAttached() {
        return true;
    }

    @Override
    public void deleteVolume(String volumeId) {
        try {
            LocalFiles.deleteTree(layout.volumeDir(volumeId));
            Files.deleteIfExists(layout.volumeRecord(volumeId));
            LocalFiles.removeIfEmpty(layout.instanceDir(volumeId));
        } catch (IOException | UncheckedIOException e) {
            throw new ComputeException("cannot delete volume " + volumeId + ": " + e.getMessage(), e);
        }
    }

    private void writeRecord(String id, int sizeGb) {
        ObjectNode record = PythonJson.object();
        record.put("id", id);
        record.put("size_gb", sizeGb);
        JsonRecords.write(layout.volumeRecord(id), record);
    }

    private Volume volume(String id, int sizeGb) {
        return new Volume(id, sizeGb, VolumeStatus.IN_USE, null, layout.volumeDir(id).toString());
    }
}
