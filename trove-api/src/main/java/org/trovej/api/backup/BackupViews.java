package org.trovej.api.backup;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.web.Link;
import org.trovej.api.web.Timestamps;

/** Trove's backup and backup strategy views (trove/backup/views.py), keys in Trove's order. */
public final class BackupViews {

    private BackupViews() {
    }

    /**
     * A backup; {@code datastore} only when the backup has a datastore version; {@code failure_reason} (TroveJ's,
     * not Trove's) only when the backup failed with one, so a user sees why without reading the logs.
     */
    @JsonPropertyOrder({"id", "name", "description", "locationRef", "instance_id", "created", "updated", "size",
            "status", "parent_id", "project_id", "datastore", "failure_reason"})
    public record BackupView(String id, String name, String description,
                             @JsonProperty("locationRef") String locationRef,
                             @JsonProperty("instance_id") String instanceId, String created, String updated,
                             Double size, String status, @JsonProperty("parent_id") String parentId,
                             @JsonProperty("project_id") String projectId,
                             @JsonInclude(Include.NON_NULL) DatastoreRef datastore,
                             @JsonInclude(Include.NON_NULL) @JsonProperty("failure_reason") String failureReason) {
    }

    public record DatastoreRef(String type, String version, @JsonProperty("version_id") String versionId) {
    }

    public record BackupShow(BackupView backup) {
    }

    @JsonInclude(Include.NON_NULL)
    public record BackupList(@JsonInclude(Include.ALWAYS) List<BackupView> backups, List<Link> links) {
    }

    @JsonPropertyOrder({"project_id", "instance_id", "backend", "swift_container"})
    public record StrategyView(@JsonProperty("project_id") String projectId,
                               @JsonProperty("instance_id") String instanceId, String backend,
                               @JsonProperty("swift_container") String swiftContainer) {
    }

    public record StrategyShow(@JsonProperty("backup_strategy") StrategyView backupStrategy) {
    }

    public record StrategyList(@JsonProperty("backup_strategies") List<StrategyView> backupStrategies) {
    }

    /** @param versions the datastore versions of the backups, by id (a version gone since is left out) */
    static BackupView backup(Backup b, Map<String, DatastoreService.Resolved> versions) {
        DatastoreService.Resolved version = b.getDatastoreVersionId() == null ? null
                : versions.get(b.getDatastoreVersionId());
        DatastoreRef datastore = version == null ? null : new DatastoreRef(version.datastore().getName(),
                version.version().getName(), version.version().getId());
        return new BackupView(b.getId(), b.getName(), b.getDescription(), b.getLocation(), b.getInstanceId(),
                Timestamps.format(b.getCreated()), Timestamps.format(b.getUpdated()), b.getSize(), b.getState(),
                b.getParentId(), b.getTenantId(), datastore, b.getFailureReason());
    }

    static StrategyView strategy(BackupStrategy s) {
        return new StrategyView(s.getTenantId(), s.getInstanceId(), s.getBackend(), s.getSwiftContainer());
    }
}
