package org.trovej.api;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * API settings under {@code trovej.api} (environment: TROVEJ_API_PUBLIC_ENDPOINT, ...). Names follow Trove's
 * options, and so do the defaults.
 *
 * @param publicEndpoint        Trove's {@code public_endpoint}: the base URL put in the versions document
 *                              instead of the one the request came in on (for an API behind a proxy that
 *                              rewrites Host)
 * @param maxAcceptedVolumeSize Trove's {@code max_accepted_volume_size}, GB; larger volumes are refused with 413
 * @param defaultDatastore      Trove's {@code default_datastore}: the datastore of a create request naming none
 * @param defaultPageSize       Trove's {@code instances_page_size}: the cap of a list page's {@code limit}
 * @param agentHeartbeatExpiry  Trove's {@code agent_heartbeat_expiry}: a guest silent longer than this shows
 *                              operating status ERROR
 * @param maxRequestBodySize    oslo.middleware's {@code max_request_body_size}; larger bodies are refused with 413
 * @param region                Trove's {@code service_credentials.region_name}: the region instances are created in
 * @param usersPageSize         Trove's {@code users_page_size}: the cap of {@code limit} in an instance's user list
 * @param databasesPageSize     Trove's {@code databases_page_size}: the cap of {@code limit} in an instance's
 *                              database list
 */
@ConfigurationProperties(prefix = "trovej.api")
public record ApiProperties(String publicEndpoint, Integer maxAcceptedVolumeSize, String defaultDatastore,
                            Integer defaultPageSize, Duration agentHeartbeatExpiry, DataSize maxRequestBodySize,
                            String region, Integer usersPageSize, Integer databasesPageSize) {

    public ApiProperties {
        maxAcceptedVolumeSize = maxAcceptedVolumeSize == null ? 10 : maxAcceptedVolumeSize;
        defaultDatastore = defaultDatastore == null || defaultDatastore.isBlank() ? "postgresql" : defaultDatastore;
        defaultPageSize = defaultPageSize == null ? 20 : defaultPageSize;
        agentHeartbeatExpiry = agentHeartbeatExpiry == null ? Duration.ofSeconds(90) : agentHeartbeatExpiry;
        maxRequestBodySize = maxRequestBodySize == null ? DataSize.ofBytes(114_688) : maxRequestBodySize;
        region = region == null || region.isBlank() ? "RegionOne" : region;
        usersPageSize = usersPageSize == null ? 20 : usersPageSize;
        databasesPageSize = databasesPageSize == null ? 20 : databasesPageSize;
        if (maxAcceptedVolumeSize < 1 || defaultPageSize < 1 || maxRequestBodySize.toBytes() < 1 || usersPageSize < 1
                || databasesPageSize < 1) {
            throw new IllegalArgumentException("trovej.api: max-accepted-volume-size, default-page-size, "
                    + "users-page-size, databases-page-size and max-request-body-size must be positive");
        }
    }

    /** Every setting at its default except the public endpoint. */
    public static ApiProperties withPublicEndpoint(String publicEndpoint) {
        return new ApiProperties(publicEndpoint, null, null, null, null, null, null, null, null);
    }
}
