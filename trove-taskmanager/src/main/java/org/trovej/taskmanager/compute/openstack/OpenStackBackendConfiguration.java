package org.trovej.taskmanager.compute.openstack;

import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.trovej.service.openstack.CloudCalls;
import org.trovej.service.openstack.OpenStackProperties;
import org.trovej.taskmanager.storage.ObjectStore;
import org.trovej.taskmanager.storage.SwiftObjectStore;

/**
 * The openstack back end ({@code trovej.compute.backend=openstack}): Nova servers, Cinder volumes, Neutron
 * ports and security groups, Glance images, Swift objects, through openstack4j and the session of
 * {@link org.trovej.service.openstack.OpenStackConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "trovej.compute.backend", havingValue = "openstack")
public class OpenStackBackendConfiguration {

    @Bean
    public Waits cloudWaits() {
        return new Waits(Duration.ofMillis(500));
    }

    @Bean
    public GlanceImages glanceImages(CloudCalls cloud) {
        return new GlanceImages(cloud);
    }

    @Bean
    public NeutronNetworkDriver neutronNetworkDriver(CloudCalls cloud, OpenStackProperties properties) {
        return new NeutronNetworkDriver(cloud, properties);
    }

    @Bean
    public CinderVolumeDriver cinderVolumeDriver(CloudCalls cloud, OpenStackProperties properties, Waits waits) {
        return new CinderVolumeDriver(cloud, properties, waits);
    }

    @Bean
    public NovaComputeDriver novaComputeDriver(CloudCalls cloud, OpenStackProperties properties, GlanceImages images,
                                               NeutronNetworkDriver network, CinderVolumeDriver volumes, Waits waits) {
        return new NovaComputeDriver(cloud, properties, images, network, volumes, waits);
    }

    @Bean
    public ObjectStore swiftObjectStore(CloudCalls cloud) {
        return new SwiftObjectStore(cloud);
    }
}
