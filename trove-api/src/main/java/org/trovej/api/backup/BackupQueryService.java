package org.trovej.api.backup;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.datastore.DatastoreService;
import org.trovej.api.error.ApiException;

/**
 * {@code GET /backups}, {@code GET /backups/{id}} and {@code GET /instances/{id}/backups} (trove/backup/service.py,
 * models.py Backup.list, list_for_instance, get_by_id): a caller sees its own project's backups, an admin any by
 * id; another project's backup is "not found". A page is one query, plus one for its datastore versions.
 */
@Service
@Transactional(readOnly = true)
public class BackupQueryService {

    /** Python's strutils.bool_from_string true values. */
    private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");

    private final BackupRepository backups;
    private final BackupInstances instances;
    private final DatastoreService datastores;
    private final Policy policy;
    private final BackupProperties properties;

    public BackupQueryService(BackupRepository backups, BackupInstances instances, DatastoreService datastores,
                              Policy policy, BackupProperties properties) {
        this.backups = backups;
        this.instances = instances;
        this.datastores = datastores;
        this.policy = policy;
        this.properties = properties;
    }

    /** One page of views, and the marker of the next page when this one was full. */
    public record Page(List<BackupViews.BackupView> items, String nextMarker) {
    }

    /**
     * The caller's project's backups; with {@code project_id} another project's, with {@code all_projects} every
     * project's (both need {@code backup:index:all_projects}, admin by default).
     */
    public Page list(AuthContext caller, String limit, String marker, String datastore, String instanceId,
                     String projectId, String allProjects) {
        boolean all = allProjects != null && TRUE.contains(allProjects.trim().toLowerCase(Locale.ROOT));
        boolean otherProjects = present(projectId) || all;
        policy.enforce(caller, otherProjects ? "backup:index:all_projects" : "backup:index", caller.projectId());
        String tenant = present(projectId) ? projectId : all ? null : caller.projectId();
        String datastoreId = present(datastore) ? datastores.load(datastore).getId() : null;
        BackupPage page = BackupPage.of(limit, marker, properties.pageSize());
        return page(page, backups.page(tenant, present(instanceId) ? instanceId : null, datastoreId, page.offset(),
                page.limit()));
    }

    /** An instance's backups: the caller's own, or every project's for an admin (Trove's list_for_instance). */
    public Page ofInstance(AuthContext caller, String instanceId, String limit, String marker) {
        policy.enforce(caller, "instance:backups", instances.visibleOwner(caller, instanceId));
        BackupPage page = BackupPage.of(limit, marker, properties.pageSize());
        return page(page, backups.page(caller.admin() ? null : caller.projectId(), instanceId, null, page.offset(),
                page.limit()));
    }

    public BackupViews.BackupView show(AuthContext caller, String id) {
        Backup backup = visible(caller, id);
        policy.enforce(caller, "backup:show", backup.getTenantId());
        return views(List.of(backup)).get(0);
    }

    /** A live backup the caller may see (Trove's get_by_id): anything else is Trove's NotFound. */
    Backup visible(AuthContext caller, String id) {
        return backups.findByIdAndDeletedFalse(id).filter(b -> isVisible(caller, b))
                .orElseThrow(() -> ApiException.resourceNotFound(id));
    }

    static boolean isVisible(AuthContext caller, Backup backup) {
        return caller.admin() || caller.projectId().equals(backup.getTenantId());
    }

    /** The views of these backups, with their datastores read in one go. */
    List<BackupViews.BackupView> views(List<Backup> rows) {
        Map<String, DatastoreService.Resolved> versions = datastores.resolveAll(rows.stream()
                .map(Backup::getDatastoreVersionId).filter(Objects::nonNull).collect(Collectors.toSet()));
        return rows.stream().map(b -> BackupViews.backup(b, versions)).toList();
    }

    private Page page(BackupPage page, List<Backup> rows) {
        return new Page(views(rows), page.nextMarker(rows.size()));
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }
}
