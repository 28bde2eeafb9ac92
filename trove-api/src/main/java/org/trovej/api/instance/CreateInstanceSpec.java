package org.trovej.api.instance;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated create request ({@code POST /instances}). Absent optional values are null. Passwords are in
 * {@link UserSpec}, whose {@code toString} leaves them out.
 *
 * @param flavorId the last path segment of {@code flavorRef} (which may be an href), as Trove takes it
 * @param volumeSize GB, unbounded until checked against the maximum
 * @param backupId the last path segment of {@code restorePoint.backupRef}
 * @param restoreTime TroveJ's {@code restorePoint.restoreTime} (point-in-time restore, beyond Trove): restore the
 *                    backup's instance to this moment; null otherwise
 */
public record CreateInstanceSpec(String name, String flavorId, boolean volumeGiven, BigInteger volumeSize,
                                 String volumeType, boolean datastoreGiven, String datastoreType,
                                 String datastoreVersion, String datastoreVersionNumber,
                                 List<DatabaseSpec> databases, List<UserSpec> users, String backupId,
                                 String replicaOf, Integer replicaCount, String availabilityZone, JsonNode nics,
                                 String configurationId, String locality, String regionName,
                                 Map<String, Object> access, Instant restoreTime) {

    public record DatabaseSpec(String name, String characterSet, String collate) {
    }

    /** @param host null means any host ({@code %}) */
    public record UserSpec(String name, String password, String host, List<String> databases) {
        @Override
        public String toString() {
            return "UserSpec[name=" + name + ", host=" + host + ", databases=" + databases + "]";
        }
    }
}
