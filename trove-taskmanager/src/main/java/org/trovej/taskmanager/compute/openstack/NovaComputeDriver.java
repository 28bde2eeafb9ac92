package org.trovej.taskmanager.compute.openstack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openstack4j.api.Builders;
import org.openstack4j.model.compute.Action;
import org.openstack4j.model.compute.BDMDestType;
import org.openstack4j.model.compute.BDMSourceType;
import org.openstack4j.model.compute.RebootType;
import org.openstack4j.model.compute.actions.RebuildOptions;
import org.openstack4j.model.compute.builder.ServerCreateBuilder;
import org.openstack4j.model.network.Port;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.flavor.Flavor;
import org.trovej.service.openstack.CloudCalls;
import org.trovej.service.openstack.CloudException;
import org.trovej.service.openstack.OpenStackProperties;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.GuestBootstrap;
import org.trovej.taskmanager.compute.GuestConfigText;
import org.trovej.taskmanager.compute.Image;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.ServerAddress;
import org.trovej.taskmanager.compute.ServerRequest;
import org.trovej.taskmanager.compute.ServerStatus;

/**
 * Nova servers booted from the datastore version's Glance image, on the instance's Neutron ports, with its
 * Cinder volume attached and the guest's configuration in user data (see {@link GuestUserData}). A server
 * carries its Trove instance id in metadata, so that a retried build or a delete finds it.
 */
public class NovaComputeDriver implements ComputeDriver {

    private static final Logger log = LoggerFactory.getLogger(NovaComputeDriver.class);

    private final CloudCalls cloud;
    private final OpenStackProperties properties;
    private final GlanceImages images;
    private final NeutronNetworkDriver network;
    private final CinderVolumeDriver volumes;
    private final Waits waits;

    public NovaComputeDriver(CloudCalls cloud, OpenStackProperties properties, GlanceImages images,
                             NeutronNetworkDriver network, CinderVolumeDriver volumes, Waits waits) {
        this.cloud = cloud;
        this.properties = properties;
        this.images = images;
        this.network = network;
        this.volumes = volumes;
        this.waits = waits;
    }

    @Override
    public Server createServer(ServerRequest request) {
        Optional<Server> existing = findServerOf(request.instanceId());
        if (existing.isPresent()) {
            return existing.get();
        }
        String imageId = images.resolve(request.image());
        List<? extends Port> ports = network.ports(request.instanceId());
        if (ports.isEmpty()) {
            throw new CloudException("The instance has no ports to boot on");
        }
        GuestBootstrap guest = request.guest();
        ServerCreateBuilder builder = Builders.server()
                .name(request.name() == null ? request.instanceId() : request.name())
                .flavor(request.flavor().id())
                .image(imageId)
                .configDrive(true)
                .userData(GuestUserData.encoded(GuestUserData.files(
                        GuestConfigText.guestInfo(guest, "openstack back end"),
                        GuestConfigText.agentConf(guest, properties.guestReportInterval(), Map.of(),
                                guest.datastoreManager(), Map.of("mount_point", mountPoint(request)),
                                "openstack back end"))))
                .addMetadataItem(CloudNames.INSTANCE_METADATA, request.instanceId())
                .addMetadataItem("trove_datastore", guest.datastoreManager() + " " + guest.datastoreVersion());
        ports.forEach(p -> builder.addNetworkPort(p.getId()));
        if (request.volume() != null) {
            // with a block device mapping Nova wants the image named as the boot device too (the CLI adds it)
            builder.blockDevice(Builders.blockDeviceMapping().uuid(imageId).sourceType(BDMSourceType.IMAGE)
                    .destinationType(BDMDestType.LOCAL).bootIndex(0).deleteOnTermination(true).build());
            builder.blockDevice(Builders.blockDeviceMapping().uuid(request.volume().id())
                    .sourceType(BDMSourceType.VOLUME).destinationType(BDMDestType.VOLUME)
                    .deviceName(deviceName()).bootIndex(-1).deleteOnTermination(false).build());
        }
        if (request.availabilityZone() != null) {
            builder.availabilityZone(request.availabilityZone());
        }
        org.openstack4j.model.compute.Server server = cloud.call("Nova refused to create the server",
                os -> os.compute().servers().boot(builder.build()));
        log.info("Server {} created for instance {} (image {}, flavor {})", server.getId(), request.instanceId(),
                imageId, request.flavor().id());
        return new Server(server.getId(), ServerStatus.BUILD, null, List.of());
    }

    @Override
    public Optional<Server> findServer(String serverId) {
        return novaServer(serverId).map(NovaComputeDriver::toServer);
    }

    @Override
    public Optional<Server> findServerOf(String instanceId) {
        List<? extends org.openstack4j.model.compute.Server> servers = cloud.call("list servers",
                os -> os.compute().servers().list(true));
        return servers.stream()
                .filter(s -> s.getMetadata() != null
                        && instanceId.equals(s.getMetadata().get(CloudNames.INSTANCE_METADATA)))
                .filter(s -> s.getStatus() != org.openstack4j.model.compute.Server.Status.DELETED)
                .findFirst().map(NovaComputeDriver::toServer);
    }

    @Override
    public void deleteServer(String serverId) {
        if (novaServer(serverId).isEmpty()) {
            return;
        }
        cloud.delete("Nova refused to delete server " + serverId, os -> os.compute().servers().delete(serverId));
        waits.until("server " + serverId + " to be deleted", properties.serverTimeout(),
                () -> novaServer(serverId).isEmpty() ? Boolean.TRUE : null, () -> describe(serverId));
        log.info("Server {} deleted", serverId);
    }

    @Override
    public void rebootServer(String serverId) {
        cloud.action("Nova refused to reboot server " + serverId,
                os -> os.compute().servers().reboot(serverId, RebootType.HARD));
    }

    @Override
    public void powerOff(String serverId) {
        cloud.action("Nova refused to stop server " + serverId,
                os -> os.compute().servers().action(serverId, Action.STOP));
        awaitStatus(serverId, "SHUTOFF", org.openstack4j.model.compute.Server.Status.SHUTOFF);
    }

    @Override
    public void powerOn(String serverId) {
        cloud.action("Nova refused to start server " + serverId,
                os -> os.compute().servers().action(serverId, Action.START));
        awaitStatus(serverId, "ACTIVE", org.openstack4j.model.compute.Server.Status.ACTIVE);
    }

    @Override
    public String requireImage(String imageId) {
        return images.resolve(new Image(imageId, null));
    }

    /**
     * Nova's rebuild (Trove's RebuildAction): Nova keeps the server's user data, ports and attached volume, so the
     * guest boots on the new image with its configuration and data; Nova shows REBUILD once the call returns, so the
     * wait for ACTIVE cannot see the state from before it.
     */
    @Override
    public void rebuildServer(String serverId, String imageId) {
        String image = requireImage(imageId);
        cloud.action("Nova refused to rebuild server " + serverId + " from image " + image,
                os -> os.compute().servers().rebuild(serverId, RebuildOptions.create().image(image)));
        awaitStatus(serverId, "ACTIVE", org.openstack4j.model.compute.Server.Status.ACTIVE);
        log.info("Server {} rebuilt from image {}", serverId, image);
    }

    /**
     * A Nova server runs the programs its image has: the guest upgrades to those (a restart), and refuses a version
     * they are not.
     */
    @Override
    public java.util.Map<String, String> datastoreSettingsFor(String serverId, String manager, String versionName,
                                                              String versionNumber) {
        return java.util.Map.of();
    }

    /** Nothing on the server changes: its guest agent keeps running the image's programs. */
    @Override
    public void switchDatastoreVersion(String serverId, String manager, String versionName,
                                       java.util.Map<String, String> settings) {
        log.info("Server {} runs datastore version {} with its image's programs", serverId, versionName);
    }

    /** Nova's resize, then its confirmation (Trove confirms at once too); returns once ACTIVE on the new flavor. */
    @Override
    public void resizeServer(String serverId, Flavor flavor) {
        org.openstack4j.model.compute.Server server = novaServer(serverId)
                .orElseThrow(() -> new CloudException("Server " + serverId + " does not exist"));
        if (server.getStatus() == org.openstack4j.model.compute.Server.Status.VERIFY_RESIZE) {
            confirm(serverId); // a resize that was interrupted before its confirmation
            server = novaServer(serverId).orElseThrow();
        }
        if (flavor.id().equals(server.getFlavorId())
                || (server.getFlavor() != null && flavor.name().equals(server.getFlavor().getName()))) {
            return;
        }
        cloud.action("Nova refused to resize server " + serverId + " to flavor " + flavor.id(),
                os -> os.compute().servers().resize(serverId, flavor.id()));
        awaitStatus(serverId, "VERIFY_RESIZE", org.openstack4j.model.compute.Server.Status.VERIFY_RESIZE);
        confirm(serverId);
    }

    private void confirm(String serverId) {
        cloud.action("Nova refused to confirm the resize of " + serverId,
                os -> os.compute().servers().confirmResize(serverId));
        awaitStatus(serverId, "ACTIVE", org.openstack4j.model.compute.Server.Status.ACTIVE);
    }

    @Override
    public void detachVolume(String serverId, String volumeId) {
        cloud.action("Nova refused to detach volume " + volumeId + " from " + serverId,
                os -> os.compute().servers().detachVolume(serverId, volumeId));
        volumes.awaitAttachment(volumeId, false);
    }

    @Override
    public void attachVolume(String serverId, String volumeId) {
        cloud.call("Nova refused to attach volume " + volumeId + " to " + serverId,
                os -> os.compute().servers().attachVolume(serverId, volumeId, properties.volumeDevice()));
        volumes.awaitAttachment(volumeId, true);
    }

    @Override
    public List<String> consoleLog(String serverId, int lines) {
        try {
            String output = cloud.call("console of " + serverId,
                    os -> os.compute().servers().getConsoleOutput(serverId, lines));
            return output == null ? List.of() : new ArrayList<>(Arrays.asList(output.split("\r?\n")));
        } catch (CloudException e) {
            return List.of(); // the console is extra detail for a fault: never a reason to fail
        }
    }

    private void awaitStatus(String serverId, String wanted, org.openstack4j.model.compute.Server.Status status) {
        waits.until("server " + serverId + " to be " + wanted, properties.serverTimeout(), () -> {
            org.openstack4j.model.compute.Server s = novaServer(serverId)
                    .orElseThrow(() -> new CloudException("Server " + serverId + " disappeared"));
            if (s.getStatus() == org.openstack4j.model.compute.Server.Status.ERROR) {
                throw new CloudException("Server " + serverId + " went into ERROR: " + faultOf(s));
            }
            return s.getStatus() == status && s.getTaskState() == null ? Boolean.TRUE : null;
        }, () -> describe(serverId));
    }

    private String describe(String serverId) {
        return novaServer(serverId).map(s -> s.getStatus() + (s.getTaskState() == null ? "" : " (" + s.getTaskState()
                + ")")).orElse("gone");
    }

    private Optional<org.openstack4j.model.compute.Server> novaServer(String serverId) {
        org.openstack4j.model.compute.Server server = cloud.call("show server " + serverId,
                os -> os.compute().servers().get(serverId));
        if (server == null || server.getStatus() == org.openstack4j.model.compute.Server.Status.DELETED) {
            return Optional.empty();
        }
        return Optional.of(server);
    }

    private String mountPoint(ServerRequest request) {
        return request.volume() != null && request.volume().mountPoint() != null ? request.volume().mountPoint()
                : properties.mountPoints().getOrDefault(request.guest().datastoreManager(), "/var/lib/trove");
    }

    /** Nova's device name is the configured device without {@code /dev/}. */
    private String deviceName() {
        String device = properties.volumeDevice();
        return device.startsWith("/dev/") ? device.substring(5) : device;
    }

    static String faultOf(org.openstack4j.model.compute.Server server) {
        if (server.getFault() == null) {
            return "Nova recorded no fault";
        }
        String message = server.getFault().getMessage();
        return (message == null || message.isBlank() ? "no message" : message.strip())
                + " (code " + server.getFault().getCode() + ")";
    }

    private static Server toServer(org.openstack4j.model.compute.Server s) {
        List<ServerAddress> addresses = new ArrayList<>();
        if (s.getAddresses() != null && s.getAddresses().getAddresses() != null) {
            s.getAddresses().getAddresses().forEach((networkName, list) -> list.forEach(a ->
                    addresses.add(new ServerAddress(a.getAddr(), "private", networkName))));
        }
        ServerStatus status = switch (s.getStatus() == null ? org.openstack4j.model.compute.Server.Status.UNKNOWN
                : s.getStatus()) {
            case SHUTOFF, STOPPED -> ServerStatus.SHUTDOWN;
            default -> ServerStatus.of(s.getStatus() == null ? null : s.getStatus().name());
        };
        String fault = status == ServerStatus.ERROR ? faultOf(s) : null;
        return new Server(s.getId(), status, fault, addresses);
    }
}
