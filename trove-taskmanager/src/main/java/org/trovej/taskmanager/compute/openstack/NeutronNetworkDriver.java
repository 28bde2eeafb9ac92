package org.trovej.taskmanager.compute.openstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.openstack4j.api.Builders;
import org.openstack4j.model.network.IP;
import org.openstack4j.model.network.Network;
import org.openstack4j.model.network.Port;
import org.openstack4j.model.network.SecurityGroup;
import org.openstack4j.model.network.builder.PortBuilder;
import org.openstack4j.model.network.options.PortListOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.service.openstack.CloudCalls;
import org.trovej.service.openstack.CloudException;
import org.trovej.service.openstack.OpenStackProperties;
import org.trovej.taskmanager.compute.NetworkDriver;
import org.trovej.taskmanager.compute.ServerAddress;

/**
 * Neutron ports for an instance, made before its server (so a retried build keeps its addresses): one on each
 * management network (where the guest reaches the broker), then one per requested nic, all named
 * {@code trove-<instance id>} and all in the instance's security group {@code SecGroup_<instance id>}, which opens
 * the datastore's ports.
 */
public class NeutronNetworkDriver implements NetworkDriver {

    private static final Logger log = LoggerFactory.getLogger(NeutronNetworkDriver.class);

    private final CloudCalls cloud;
    private final OpenStackProperties properties;

    public NeutronNetworkDriver(CloudCalls cloud, OpenStackProperties properties) {
        this.cloud = cloud;
        this.properties = properties;
    }

    @Override
    public List<ServerAddress> allocate(String instanceId, String datastoreManager, JsonNode nics) {
        List<Nic> wanted = new ArrayList<>();
        properties.managementNetworks().forEach(n -> wanted.add(new Nic(networkId(n), null, null)));
        if (nics != null && nics.isArray()) {
            for (JsonNode nic : nics) {
                wanted.add(Nic.from(nic, this::networkId));
            }
        }
        if (wanted.isEmpty()) {
            throw new CloudException("The instance has no network: name one in the request's nics, or configure "
                    + "trovej.openstack.management-networks");
        }
        List<? extends Port> existing = ports(instanceId);
        if (existing.size() == wanted.size()) {
            return addresses(existing);
        }
        release(instanceId); // a build that died half-way: start over rather than guess which ports are missing
        String group = securityGroup(instanceId, datastoreManager);
        List<Port> made = new ArrayList<>();
        for (Nic nic : wanted) {
            PortBuilder port = Builders.port().name(CloudNames.port(instanceId)).networkId(nic.networkId())
                    .securityGroup(group);
            if (nic.subnetId() != null || nic.ipAddress() != null) {
                port.fixedIp(nic.ipAddress(), nic.subnetId());
            }
            made.add(cloud.call("Neutron refused a port on network " + nic.networkId(),
                    os -> os.networking().port().create(port.build())));
        }
        log.info("Instance {}: {} port(s) in security group {}", instanceId, made.size(), group);
        return addresses(made);
    }

    @Override
    public void release(String instanceId) {
        for (Port port : ports(instanceId)) {
            cloud.delete("Neutron refused to delete port " + port.getId(),
                    os -> os.networking().port().delete(port.getId()));
        }
        for (SecurityGroup group : securityGroups(instanceId)) {
            cloud.delete("Neutron refused to delete security group " + group.getId(),
                    os -> os.networking().securitygroup().delete(group.getId()));
        }
    }

    /** The instance's ports, in the order they were made (management networks first). */
    List<? extends Port> ports(String instanceId) {
        return cloud.call("list the ports of " + instanceId, os -> os.networking().port()
                .list(PortListOptions.create().name(CloudNames.port(instanceId))));
    }

    private String securityGroup(String instanceId, String datastoreManager) {
        String name = CloudNames.securityGroup(instanceId);
        SecurityGroup group = cloud.call("create security group " + name, os -> os.networking().securitygroup()
                .create(Builders.securityGroup().name(name)
                        .description("Trove instance " + instanceId + " (" + datastoreManager + ")").build()));
        String ports = properties.datastorePorts().getOrDefault(datastoreManager, "");
        for (String range : ports.split(",")) {
            if (range.isBlank()) {
                continue;
            }
            String[] bounds = range.strip().split("-");
            int min = Integer.parseInt(bounds[0].strip());
            int max = bounds.length > 1 ? Integer.parseInt(bounds[1].strip()) : min;
            cloud.call("open port " + range.strip() + " in " + name, os -> os.networking().securityrule()
                    .create(Builders.securityGroupRule().securityGroupId(group.getId()).direction("ingress")
                            .ethertype("IPv4").protocol("tcp").portRangeMin(min).portRangeMax(max)
                            .remoteIpPrefix(properties.securityGroupCidr()).build()));
        }
        return group.getId();
    }

    private List<? extends SecurityGroup> securityGroups(String instanceId) {
        String name = CloudNames.securityGroup(instanceId);
        return cloud.call("find security group " + name,
                os -> os.networking().securitygroup().list(Map.of("name", name)));
    }

    /** A network id, or the id of the network with that name. */
    private String networkId(String idOrName) {
        List<? extends Network> byId = cloud.call("find network " + idOrName,
                os -> os.networking().network().list(Map.of("id", idOrName)));
        if (!byId.isEmpty()) {
            return byId.get(0).getId();
        }
        List<? extends Network> byName = cloud.call("find network " + idOrName,
                os -> os.networking().network().list(Map.of("name", idOrName)));
        if (byName.size() == 1) {
            return byName.get(0).getId();
        }
        throw new CloudException(byName.isEmpty() ? "Network " + idOrName + " does not exist"
                : "More than one network is named " + idOrName + ": use its id");
    }

    private static List<ServerAddress> addresses(List<? extends Port> ports) {
        List<ServerAddress> addresses = new ArrayList<>();
        for (Port port : ports) {
            for (IP ip : port.getFixedIps()) {
                addresses.add(new ServerAddress(ip.getIpAddress(), "private", port.getNetworkId()));
            }
        }
        return addresses;
    }

    /** One entry of Trove's {@code nics}: {@code net-id} (or {@code network_id}), optional subnet and address. */
    private record Nic(String networkId, String subnetId, String ipAddress) {

        static Nic from(JsonNode nic, java.util.function.Function<String, String> resolve) {
            if (nic.hasNonNull("port-id") || nic.hasNonNull("port_id")) {
                throw new CloudException("nics: a port of your own (port-id) is not supported; give net-id");
            }
            String network = nic.hasNonNull("net-id") ? nic.get("net-id").asText()
                    : nic.hasNonNull("network_id") ? nic.get("network_id").asText() : null;
            if (network == null) {
                throw new CloudException("nics: each entry needs net-id (or network_id)");
            }
            return new Nic(resolve.apply(network), nic.path("subnet_id").asText(null),
                    nic.hasNonNull("v4-fixed-ip") ? nic.get("v4-fixed-ip").asText() : nic.path("ip_address").asText(null));
        }
    }
}
