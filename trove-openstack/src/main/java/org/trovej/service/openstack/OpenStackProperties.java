package org.trovej.service.openstack;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The openstack back end's settings, under {@code trovej.openstack} (used when {@code trovej.compute.backend=openstack}).
 *
 * @param authUrl            Keystone v3, e.g. {@code http://keystone:5000/v3}
 * @param username           the service user TroveJ acts as (Trove's {@code trove} user in project {@code service});
 *                           servers, volumes and ports are created in its project, as Trove does
 * @param password           that user's password (never logged)
 * @param project            the service project's name
 * @param region             the catalog region (default {@code RegionOne})
 * @param managementNetworks networks (ids or names) every guest gets a port on first: the guest reaches the
 *                           broker through it (Trove's {@code management_networks})
 * @param datastorePorts     TCP ports opened in each instance's security group, by datastore manager (Trove's
 *                           {@code tcp_ports} per datastore); e.g. {@code postgresql: "5432"}, {@code mysql: "3306"}
 * @param securityGroupCidr  where those ports are open to (Trove's {@code trove_security_group_rule_cidr})
 * @param volumeType         Cinder volume type when the request names none; null: the cloud's default
 * @param volumeDevice       where the guest finds the data volume (Trove's {@code device_path})
 * @param mountPoints        where the guest mounts it, by datastore manager (Trove's {@code mount_point})
 * @param flavorCacheTtl     how long Nova's flavor list is reused by the API
 * @param serverTimeout      a server not ACTIVE (or resized, or gone) by then is a failure
 * @param volumeTimeout      a volume not available (or extended, detached, gone) by then is a failure
 * @param retries            attempts for a call that met a transient error (connection refused, 5xx, 409 on a
 *                           resource that is still changing)
 * @param onlineVolumeExtend the volume driver extends attached volumes; false (the default, as Trove does):
 *                           detach, extend, attach
 * @param guestReportInterval how often guests send their heartbeat (their {@code report_interval})
 */
@ConfigurationProperties(prefix = "trovej.openstack")
public record OpenStackProperties(String authUrl, String username, String password, String userDomain,
                                  String project, String projectDomain, String region,
                                  List<String> managementNetworks, Map<String, String> datastorePorts,
                                  String securityGroupCidr, String volumeType, String volumeDevice,
                                  Map<String, String> mountPoints, Duration flavorCacheTtl, Duration serverTimeout,
                                  Duration volumeTimeout, Integer retries, Boolean onlineVolumeExtend,
                                  Duration connectTimeout, Duration readTimeout, Duration guestReportInterval) {

    public OpenStackProperties {
        userDomain = userDomain == null ? "Default" : userDomain;
        project = project == null ? "service" : project;
        projectDomain = projectDomain == null ? "Default" : projectDomain;
        region = region == null ? "RegionOne" : region;
        managementNetworks = managementNetworks == null ? List.of() : List.copyOf(managementNetworks);
        datastorePorts = datastorePorts == null || datastorePorts.isEmpty()
                ? Map.of("postgresql", "5432", "mysql", "3306", "mariadb", "3306", "redis", "6379")
                : Map.copyOf(datastorePorts);
        securityGroupCidr = securityGroupCidr == null ? "0.0.0.0/0" : securityGroupCidr;
        volumeDevice = volumeDevice == null ? "/dev/vdb" : volumeDevice;
        mountPoints = mountPoints == null || mountPoints.isEmpty()
                ? Map.of("postgresql", "/var/lib/postgresql", "mysql", "/var/lib/mysql", "mariadb", "/var/lib/mysql",
                        "redis", "/var/lib/redis")
                : Map.copyOf(mountPoints);
        flavorCacheTtl = flavorCacheTtl == null ? Duration.ofMinutes(1) : flavorCacheTtl;
        serverTimeout = serverTimeout == null ? Duration.ofMinutes(10) : serverTimeout;
        volumeTimeout = volumeTimeout == null ? Duration.ofMinutes(5) : volumeTimeout;
        retries = retries == null ? 3 : Math.max(1, retries);
        onlineVolumeExtend = onlineVolumeExtend != null && onlineVolumeExtend;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(60) : readTimeout;
        guestReportInterval = guestReportInterval == null ? Duration.ofSeconds(10) : guestReportInterval;
    }

    /** What is missing for the back end to start, or null when nothing is. */
    public String missing() {
        if (authUrl == null || authUrl.isBlank()) {
            return "trovej.openstack.auth-url";
        }
        if (username == null || username.isBlank()) {
            return "trovej.openstack.username";
        }
        if (password == null) {
            return "trovej.openstack.password";
        }
        return null;
    }

    @Override
    public String toString() {
        return "OpenStackProperties[authUrl=" + authUrl + ", user=" + username + ", project=" + project + ", region="
                + region + ", managementNetworks=" + managementNetworks + "]";
    }
}
