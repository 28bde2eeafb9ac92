package org.trovej.api.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trove's registered policy defaults (trove/common/policies/*.py), rule name to oslo.policy expression. Everything
 * is {@code rule:admin_or_owner} except the catalog reads (open), datastore deletion, the two reset-status rules
 * (admin) and listing every project's backups ({@code role:admin}). A rule that is not registered falls back to
 * {@code default}, as oslo.policy does.
 */
public final class TrovePolicyDefaults {

    public static final String ADMIN_OR_OWNER = "rule:admin_or_owner";

    private static final List<String> OWNER_RULES = List.of(
            "instance:create", "instance:delete", "instance:force_delete", "instance:index", "instance:detail",
            "instance:show", "instance:update", "instance:edit", "instance:restart", "instance:resize_volume",
            "instance:resize_flavor", "instance:promote_to_replica_source", "instance:eject_replica_source",
            "instance:configuration", "instance:guest_log_list", "instance:backups", "instance:module_list",
            "instance:module_apply", "instance:module_remove",
            "instance:extension:root:create", "instance:extension:root:delete", "instance:extension:root:index",
            "instance:extension:user:create", "instance:extension:user:delete", "instance:extension:user:index",
            "instance:extension:user:show", "instance:extension:user:update", "instance:extension:user:update_all",
            "instance:extension:user_access:update", "instance:extension:user_access:delete",
            "instance:extension:user_access:index",
            "instance:extension:database:create", "instance:extension:database:delete",
            "instance:extension:database:index", "instance:extension:database:show",
            "cluster:create", "cluster:delete", "cluster:force_delete", "cluster:index", "cluster:show",
            "cluster:show_instance", "cluster:action", "cluster:edit",
            "cluster:extension:root:create", "cluster:extension:root:delete", "cluster:extension:root:index",
            "backup:create", "backup:delete", "backup:index", "backup:show",
            "backup_strategy:create", "backup_strategy:index", "backup_strategy:delete",
            "configuration:create", "configuration:delete", "configuration:index", "configuration:show",
            "configuration:instances", "configuration:update", "configuration:edit",
            "configuration-parameter:index", "configuration-parameter:show",
            "configuration-parameter:index_by_version", "configuration-parameter:show_by_version",
            "limits:index",
            "module:create", "module:delete", "module:index", "module:show", "module:instances", "module:update",
            "module:reapply");

    private static final List<String> OPEN_RULES = List.of(
            "datastore:index", "datastore:show", "datastore:version_show", "datastore:version_show_by_uuid",
            "datastore:version_index", "datastore:list_associated_flavors",
            "datastore:list_associated_volume_types", "flavor:index", "flavor:show");

    private TrovePolicyDefaults() {
    }

    public static Map<String, String> rules() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("admin", "role:admin or is_admin:True");
        rules.put("admin_or_owner", "rule:admin or project_id:%(tenant)s");
        rules.put("default", ADMIN_OR_OWNER);
        // who is an admin (Trove's RequestContext.is_admin); role:admin as in oslo.policy's sample
        rules.put("context_is_admin", "role:admin");
        OWNER_RULES.forEach(r -> rules.put(r, ADMIN_OR_OWNER));
        OPEN_RULES.forEach(r -> rules.put(r, ""));
        rules.put("datastore:delete", "rule:admin");
        rules.put("instance:reset_status", "rule:admin");
        rules.put("cluster:reset-status", "rule:admin");
        rules.put("backup:index:all_projects", "role:admin");
        return rules;
    }
}
