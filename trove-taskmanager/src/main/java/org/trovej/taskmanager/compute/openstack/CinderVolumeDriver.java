package org.trovej.taskmanager.compute.openstack;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openstack4j.api.Builders;
import org.openstack4j.model.storage.block.builder.VolumeBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.service.openstack.CloudCalls;
import org.trovej.service.openstack.CloudException;
import org.trovej.service.openstack.OpenStackProperties;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.compute.VolumeDriver;
import org.trovej.taskmanager.compute.VolumeRequest;
import org.trovej.taskmanager.compute.VolumeStatus;

/**
 * Cinder volumes, named {@code trove-<instance id>} as Trove names them. Calls return once Cinder has finished
 * (available, extended, gone): a volume in {@code error} fails the call with what Cinder said.
 */
public class CinderVolumeDriver implements VolumeDriver {

    private static final Logger log = LoggerFactory.getLogger(CinderVolumeDriver.class);
    /** Volume metadata: where the guest mounts it, so that later calls know without the datastore. */
    static final String MOUNT_POINT = "trove_mount_point";

    private final CloudCalls cloud;
    private final OpenStackProperties properties;
    private final Waits waits;
    private final CinderMessages messages;

    public CinderVolumeDriver(CloudCalls cloud, OpenStackProperties properties, Waits waits) {
        this.cloud = cloud;
        this.properties = properties;
        this.waits = waits;
        this.messages = new CinderMessages(cloud.session());
    }

    @Override
    public Volume createVolume(VolumeRequest request) {
        String name = CloudNames.volume(request.instanceId());
        org.openstack4j.model.storage.block.Volume volume = findCinderVolume(name).orElse(null);
        if (volume == null) {
            String mountPoint = properties.mountPoints().getOrDefault(request.datastoreManager(), "/var/lib/trove");
            VolumeBuilder builder = Builders.volume().name(name).size(request.sizeGb())
                    .description("Data volume of Trove instance " + request.instanceId())
                    .metadata(Map.of(CloudNames.INSTANCE_METADATA, request.instanceId(), MOUNT_POINT, mountPoint));
            String type = request.volumeType() != null ? request.volumeType() : properties.volumeType();
            if (type != null) {
                builder.volumeType(type);
            }
            if (request.availabilityZone() != null) {
                builder.zone(request.availabilityZone());
            }
            volume = cloud.call("Cinder refused to create volume " + name + " (" + request.sizeGb() + " GB)",
                    os -> os.blockStorage().volumes().create(builder.build()));
            log.info("Volume {} ({} GB) created for instance {}", volume.getId(), request.sizeGb(),
                    request.instanceId());
        }
        return toVolume(awaitStatus(volume.getId(), "available", v -> true));
    }

    @Override
    public Optional<Volume> findVolume(String volumeId) {
        return cinderVolume(volumeId).map(this::toVolume);
    }

    @Override
    public Optional<Volume> findVolumeOf(String instanceId) {
        return findCinderVolume(CloudNames.volume(instanceId)).map(this::toVolume);
    }

    @Override
    public Volume extendVolume(String volumeId, int newSizeGb) {
        org.openstack4j.model.storage.block.Volume volume = cinderVolume(volumeId)
                .orElseThrow(() -> new CloudException("Volume " + volumeId + " does not exist in Cinder"));
        if (volume.getSize() < newSizeGb) {
            cloud.action("Cinder refused to extend volume " + volumeId + " to " + newSizeGb + " GB",
                    os -> os.blockStorage().volumes().extend(volumeId, newSizeGb));
        }
        String settled = volume.getStatus() == org.openstack4j.model.storage.block.Volume.Status.IN_USE
                ? "in-use" : "available";
        return toVolume(awaitStatus(volumeId, settled + " at " + newSizeGb + " GB", v -> v.getSize() >= newSizeGb));
    }

    @Override
    public boolean extendsAttached() {
        return properties.onlineVolumeExtend();
    }

    @Override
    public void deleteVolume(String volumeId) {
        Optional<org.openstack4j.model.storage.block.Volume> volume = cinderVolume(volumeId);
        if (volume.isEmpty()) {
            return;
        }
        // the server's delete detaches it; Cinder refuses to delete it until that is done
        waits.until("volume " + volumeId + " to be detached", properties.volumeTimeout(), () -> {
            Optional<org.openstack4j.model.storage.block.Volume> now = cinderVolume(volumeId);
            return now.isEmpty() || !busy(now.get()) ? Boolean.TRUE : null;
        }, () -> describe(volumeId));
        cloud.delete("Cinder refused to delete volume " + volumeId,
                os -> os.blockStorage().volumes().delete(volumeId));
        waits.until("volume " + volumeId + " to be deleted", properties.volumeTimeout(), () -> {
            Optional<org.openstack4j.model.storage.block.Volume> now = cinderVolume(volumeId);
            if (now.isPresent() && now.get().getStatus() == org.openstack4j.model.storage.block.Volume.Status.ERROR_DELETING) {
                throw new CloudException("Cinder could not delete volume " + volumeId + " (error_deleting)");
            }
            return now.isEmpty() ? Boolean.TRUE : null;
        }, () -> describe(volumeId));
        log.info("Volume {} deleted", volumeId);
    }

    /** Waits until the volume is attached ({@code in-use}) or, with {@code attached} false, available again. */
    void awaitAttachment(String volumeId, boolean attached) {
        var wanted = attached ? org.openstack4j.model.storage.block.Volume.Status.IN_USE
                : org.openstack4j.model.storage.block.Volume.Status.AVAILABLE;
        awaitStatus(volumeId, attached ? "in-use" : "available", v -> v.getStatus() == wanted);
    }

    private org.openstack4j.model.storage.block.Volume awaitStatus(
            String volumeId, String wanted, java.util.function.Predicate<org.openstack4j.model.storage.block.Volume> and) {
        return waits.until("volume " + volumeId + " to be " + wanted, properties.volumeTimeout(), () -> {
            org.openstack4j.model.storage.block.Volume v = cinderVolume(volumeId)
                    .orElseThrow(() -> new CloudException("Volume " + volumeId + " disappeared"));
            failIfError(v);
            boolean settled = v.getStatus() == org.openstack4j.model.storage.block.Volume.Status.AVAILABLE
                    || v.getStatus() == org.openstack4j.model.storage.block.Volume.Status.IN_USE;
            return settled && and.test(v) ? v : null;
        }, () -> describe(volumeId));
    }

    private void failIfError(org.openstack4j.model.storage.block.Volume v) {
        if (v.getStatus() == org.openstack4j.model.storage.block.Volume.Status.ERROR) {
            String reason = messages.latestAbout(v.getId());
            throw new CloudException("Cinder put volume " + v.getId() + " into error: "
                    + (reason == null ? "Cinder gave no message for it" : reason));
        }
    }

    private String describe(String volumeId) {
        return cinderVolume(volumeId).map(v -> v.getStatus() + ", " + v.getSize() + " GB").orElse("gone");
    }

    private static boolean busy(org.openstack4j.model.storage.block.Volume v) {
        return switch (v.getStatus()) {
            case IN_USE, ATTACHING, DETACHING, CREATING -> true;
            default -> false;
        };
    }

    private Optional<org.openstack4j.model.storage.block.Volume> cinderVolume(String volumeId) {
        return Optional.ofNullable(cloud.call("show volume " + volumeId, os -> os.blockStorage().volumes().get(volumeId)));
    }

    private Optional<org.openstack4j.model.storage.block.Volume> findCinderVolume(String name) {
        List<? extends org.openstack4j.model.storage.block.Volume> found = cloud.call("find volume " + name,
                os -> os.blockStorage().volumes().list(Map.of("name", name)));
        return found.stream().filter(v -> name.equals(v.getName()))
                .max(Comparator.comparing(v -> v.getCreated() == null ? new java.util.Date(0) : v.getCreated()))
                .map(v -> v);
    }

    /** The device is always the configured one, as Trove sends its {@code device_path}: Nova's guess of the
     * name the guest sees is often wrong, and the guest may be told otherwise by its image. */
    private Volume toVolume(org.openstack4j.model.storage.block.Volume v) {
        Map<String, String> metadata = v.getMetaData() == null ? Map.of() : v.getMetaData();
        return new Volume(v.getId(), v.getSize(), status(v.getStatus()), properties.volumeDevice(),
                metadata.getOrDefault(MOUNT_POINT, "/var/lib/trove"));
    }

    private static VolumeStatus status(org.openstack4j.model.storage.block.Volume.Status status) {
        if (status == null) {
            return VolumeStatus.ERROR;
        }
        return switch (status) {
            case CREATING, DOWNLOADING, RESTORING_BACKUP -> VolumeStatus.CREATING;
            case AVAILABLE -> VolumeStatus.AVAILABLE;
            case IN_USE, ATTACHING, DETACHING, BACKING_UP, UPLOADING -> VolumeStatus.IN_USE;
            case DELETING -> VolumeStatus.DELETING;
            case UNRECOGNIZED -> VolumeStatus.EXTENDING;
            default -> VolumeStatus.ERROR;
        };
    }
}
