package org.trovej.taskmanager.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.trovej.common.flavor.Flavor;
import org.trovej.service.openstack.CloudCalls;
import org.trovej.service.openstack.CloudException;
import org.trovej.service.openstack.NovaFlavorCatalog;
import org.trovej.service.openstack.OpenStackProperties;
import org.trovej.service.openstack.OpenStackSession;
import org.trovej.taskmanager.compute.GuestBootstrap;
import org.trovej.taskmanager.compute.Image;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.ServerAddress;
import org.trovej.taskmanager.compute.ServerRequest;
import org.trovej.taskmanager.compute.ServerStatus;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.compute.VolumeRequest;
import org.trovej.taskmanager.compute.openstack.OpenStackBackendConfiguration;
import org.trovej.taskmanager.compute.openstack.CinderVolumeDriver;
import org.trovej.taskmanager.compute.openstack.GlanceImages;
import org.trovej.taskmanager.compute.openstack.NeutronNetworkDriver;
import org.trovej.taskmanager.compute.openstack.NovaComputeDriver;
import org.trovej.taskmanager.storage.SwiftObjectStore;
import org.trovej.testsupport.OpenStackAio;

/**
 * The openstack back end's drivers against the real services of {@code scripts/openstack-aio}: ports and a
 * security group from Neutron, a volume from Cinder, a server from Nova booted from the tagged Glance image,
 * Nova's resize, Trove's detach/extend/attach, and deletes that leave nothing; Cinder's quota and Nova's
 * scheduler refusing, with their own words in the error; Swift objects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenStackDriversTest {

    private OpenStackAio aio;
    private OpenStackProperties properties;
    private CloudCalls cloud;
    private NeutronNetworkDriver network;
    private CinderVolumeDriver volumes;
    private NovaComputeDriver compute;

    @BeforeAll
    void connect() {
        aio = OpenStackAio.start();
        Map<String, String> trove = aio.trove();
        properties = new OpenStackProperties(aio.authUrl(), trove.get("OS_USERNAME"), trove.get("OS_PASSWORD"), null,
                trove.get("OS_PROJECT_NAME"), null, null, List.of("trovej-mgmt"), null, null, null, null, null, null,
                Duration.ofMinutes(2), Duration.ofMinutes(2), null, null, null, null, null);
        cloud = new CloudCalls(new OpenStackSession(properties), properties);
        OpenStackBackendConfiguration backend = new OpenStackBackendConfiguration();
        var waits = backend.cloudWaits();
        network = backend.neutronNetworkDriver(cloud, properties);
        volumes = backend.cinderVolumeDriver(cloud, properties, waits);
        compute = backend.novaComputeDriver(cloud, properties, new GlanceImages(cloud), network, volumes, waits);
    }

    @AfterAll
    void restoreQuota() {
        if (aio != null) {
            aio.openstack("quota", "set", "--volumes", "10", "service");
        }
    }

    @Test
    void serverLifecycleLeavesNothingBehind() {
        String id = UUID.randomUUID().toString();
        Flavor small = flavorNamed("ds512M");
        Flavor bigger = flavorNamed("ds1G");

        try {
            lifecycle(id, small, bigger);
        } finally {
            compute.findServerOf(id).ifPresent(s -> compute.deleteServer(s.id()));
            volumes.findVolumeOf(id).ifPresent(v -> volumes.deleteVolume(v.id()));
            network.release(id);
        }
    }

    private void lifecycle(String id, Flavor small, Flavor bigger) {
        List<ServerAddress> addresses = network.allocate(id, "postgresql", null);
        assertThat(addresses).singleElement().satisfies(a -> assertThat(a.address()).startsWith("10.77.0."));
        assertThat(network.allocate(id, "postgresql", null)).as("allocating again finds the same port")
                .isEqualTo(addresses);
        assertThat(aio.cloud().securityGroupsNamed("SecGroup_" + id)).singleElement()
                .satisfies(g -> assertThat(g.path("security_group_rules").findValuesAsText("port_range_min"))
                        .contains("5432"));

        Volume volume = volumes.createVolume(new VolumeRequest(id, "drv", 1, null, null, "postgresql"));
        assertThat(volume.sizeGb()).isEqualTo(1);
        assertThat(volume.mountPoint()).isEqualTo("/var/lib/postgresql");
        assertThat(volumes.findVolumeOf(id)).map(Volume::id).contains(volume.id());

        GuestBootstrap guest = new GuestBootstrap(id, "tenant-x", "postgresql", "15", "15.4", "key-not-real",
                "rabbit://u:secret@127.0.0.1:5672/", "trove", "trove-conductor");
        Server created = compute.createServer(new ServerRequest(id, "drv-" + id.substring(0, 8), small,
                new Image(null, "trove,trovej"), volume, addresses, null, guest));
        assertThat(compute.createServer(new ServerRequest(id, "drv-" + id.substring(0, 8), small,
                new Image(null, "trove,trovej"), volume, addresses, null, guest)).id())
                .as("a retried create finds the server").isEqualTo(created.id());
        Server active = awaitActive(created.id());
        assertThat(active.addresses()).extracting(ServerAddress::address).containsAll(
                addresses.stream().map(ServerAddress::address).toList());
        assertThat(volumes.findVolume(volume.id()).orElseThrow().status().name()).isEqualTo("IN_USE");

        compute.resizeServer(created.id(), bigger);
        assertThat(aio.cloud().get("compute", "/servers/" + created.id()).path("server").path("flavor")
                .path("original_name").asText()).isEqualTo("ds1G");

        compute.detachVolume(created.id(), volume.id());
        assertThat(volumes.extendVolume(volume.id(), 2).sizeGb()).isEqualTo(2);
        compute.attachVolume(created.id(), volume.id());
        assertThat(volumes.findVolume(volume.id()).orElseThrow().status().name()).isEqualTo("IN_USE");

        compute.deleteServer(created.id());
        volumes.deleteVolume(volume.id());
        network.release(id);
        assertThat(compute.findServer(created.id())).isEmpty();
        assertThat(compute.findServerOf(id)).isEmpty();
        assertThat(volumes.findVolumeOf(id)).isEmpty();
        assertThat(aio.cloud().portsNamed("trove-" + id)).isEmpty();
        assertThat(aio.cloud().securityGroupsNamed("SecGroup_" + id)).isEmpty();
    }

    @Test
    void cinderQuotaRefusalCarriesCindersReason() {
        // a quota of 0 more volumes: what the project holds already (nothing, when the other tests cleaned up)
        int held = aio.openstack("volume", "list", "--project", "service", "-f", "json").json().size();
        aio.openstack("quota", "set", "--volumes", Integer.toString(held), "service");
        try {
            String id = UUID.randomUUID().toString();
            assertThatThrownBy(() -> volumes.createVolume(new VolumeRequest(id, "q", 1, null, null, "postgresql")))
                    .isInstanceOf(CloudException.class)
                    .hasMessageContaining("Cinder refused to create volume trove-" + id)
                    .hasMessageContaining("quota")
                    .hasMessageContaining("HTTP 413");
            assertThat(volumes.findVolumeOf(id)).isEmpty();
        } finally {
            aio.openstack("quota", "set", "--volumes", "10", "service");
        }
    }

    @Test
    void novaQuotaRefusalCarriesNovasReason() {
        String id = UUID.randomUUID().toString();
        String flavorName = "trovej-ram-" + id.substring(0, 8);
        aio.openstack("flavor", "create", "--ram", "900000", "--vcpus", "1", "--disk", "1", flavorName);
        try {
            List<ServerAddress> addresses = network.allocate(id, "postgresql", null);
            GuestBootstrap guest = new GuestBootstrap(id, "t", "postgresql", "15", "15.4", null,
                    "rabbit://u:p@127.0.0.1:5672/", "trove", "trove-conductor");
            assertThatThrownBy(() -> compute.createServer(new ServerRequest(id, "ram", flavorNamed(flavorName),
                    new Image(null, "trove"), null, addresses, null, guest)))
                    .isInstanceOf(CloudException.class)
                    .hasMessageContaining("Quota exceeded for ram").hasMessageContaining("HTTP 403");
            network.release(id);
            assertThat(compute.findServerOf(id)).isEmpty();
        } finally {
            aio.openstack("flavor", "delete", flavorName);
        }
    }

    @Test
    void aVolumeCinderCannotPlaceFailsWithCindersMessage() {
        String id = UUID.randomUUID().toString();
        String type = aio.volumeTypeWithoutBackend();
        try {
            assertThatThrownBy(() -> volumes.createVolume(new VolumeRequest(id, "e", 1, type, null, "postgresql")))
                    .isInstanceOf(CloudException.class)
                    .hasMessageContaining("into error: schedule allocate volume")
                    .hasMessageContaining("Could not find any available weighted backend");
        } finally {
            volumes.findVolumeOf(id).ifPresent(v -> volumes.deleteVolume(v.id()));
        }
        assertThat(volumes.findVolumeOf(id)).isEmpty();
    }

    @Test
    void noValidHostPutsTheServerIntoErrorWithNovasFault() {
        String id = UUID.randomUUID().toString();
        String flavorName = "trovej-disk-" + id.substring(0, 8);
        // more disk than the fake hypervisor has (disk is not a quota): the scheduler finds no host
        aio.openstack("flavor", "create", "--ram", "64", "--vcpus", "1", "--disk", "90000000", flavorName);
        try {
            Flavor huge = flavorNamed(flavorName);
            List<ServerAddress> addresses = network.allocate(id, "postgresql", null);
            GuestBootstrap guest = new GuestBootstrap(id, "t", "postgresql", "15", "15.4", null,
                    "rabbit://u:p@127.0.0.1:5672/", "trove", "trove-conductor");
            Server created = compute.createServer(new ServerRequest(id, "huge", huge, new Image(null, "trove"), null,
                    addresses, null, guest));
            Server failed = awaitStatus(created.id(), ServerStatus.ERROR);
            assertThat(failed.fault()).contains("No valid host was found");
            compute.deleteServer(created.id());
            network.release(id);
            assertThat(compute.findServerOf(id)).isEmpty();
        } finally {
            aio.openstack("flavor", "delete", flavorName);
        }
    }

    @Test
    void unknownImageTagsAreRefusedBeforeAnythingIsBooted() {
        assertThatThrownBy(() -> new GlanceImages(cloud).resolve(new Image(null, "no-such-tag-" + UUID.randomUUID())))
                .isInstanceOf(CloudException.class).hasMessageContaining("No active Glance image carries the tags");
    }

    @Test
    void swiftKeepsObjects() {
        SwiftObjectStore swift = new SwiftObjectStore(cloud);
        String container = "trovej-test-" + UUID.randomUUID().toString().substring(0, 8);
        swift.ensureContainer(container);
        byte[] content = "backup manifest".getBytes(StandardCharsets.UTF_8);
        String etag = swift.put(container, "b1/manifest", content);
        assertThat(etag).isEqualTo(md5(content));
        assertThat(swift.get(container, "b1/manifest")).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
        assertThat(swift.list(container, "b1/")).containsExactly("b1/manifest");
        swift.delete(container, "b1/manifest");
        swift.delete(container, "b1/manifest");
        assertThat(swift.get(container, "b1/manifest")).isEmpty();
        cloud.action("delete container", os -> os.objectStorage().containers().delete(container));
    }

    /** A fresh catalog each time: flavors made by a test are not in a cached list yet. */
    private Flavor flavorNamed(String name) {
        return new NovaFlavorCatalog(cloud, properties, java.time.Clock.systemUTC()).list().stream()
                .filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    private Server awaitActive(String serverId) {
        return awaitStatus(serverId, ServerStatus.ACTIVE);
    }

    private Server awaitStatus(String serverId, ServerStatus wanted) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Server server = compute.findServer(serverId).orElseThrow();
            if (server.status() == wanted) {
                return server;
            }
            assertThat(System.nanoTime()).as("server %s still %s", serverId, server.status()).isLessThan(deadline);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static String md5(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
