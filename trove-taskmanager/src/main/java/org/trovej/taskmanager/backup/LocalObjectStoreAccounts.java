package org.trovej.taskmanager.backup;

import java.util.List;
import java.net.URI;

import org.springframework.core.env.Environment;
import org.trovej.common.objectstore.SwiftAccount;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.service.objectstore.LocalStoreUrl;
import org.trovej.service.objectstore.StoreTokens;

/**
 * The local back end's object store, TroveJ's own (served by the API): a project's account, as Trove's
 * {@code swift_url} names it ({@code <base>/v1/AUTH_<project>}),
 * and the grants the task manager hands to guests (and uses itself) for one backup's objects,
 * {@code <container>/<backup_id>...}: the backup's object, its segments and its manifest all start so.
 * <p>
 * Without {@code trovej.object-store.url} the base is this JVM's API ({@link LocalStoreUrl}).
 */
public class LocalObjectStoreAccounts implements ObjectStoreAccounts {

    private final ObjectStoreProperties properties;
    private final BackupProperties backups;
    private final StoreTokens tokens;
    private final Environment environment;
    private final SwiftClient client = new SwiftClient();

    public LocalObjectStoreAccounts(ObjectStoreProperties properties, BackupProperties backups, StoreTokens tokens,
                               Environment environment) {
        this.properties = properties;
        this.backups = backups;
        this.tokens = tokens;
        this.environment = environment;
    }

    /** Trove's {@code swift_url} of {@code project}. */
    public String swiftUrl(String project) {
        return baseUrl() + "/v1/AUTH_" + project;
    }

    @Override
    public String swiftUrl(RpcContext context, String project) {
        return swiftUrl(project);
    }

    /** The guest's token is a grant to the backup's objects alone (and reading its ancestors'). */
    @Override
    public RpcContext guestContext(RpcContext context, String project, String container, String backupId,
                                   List<String> readableLocations) {
        return context.with("auth_token", grant(project, container, backupId, readableLocations));
    }

    @Override
    public SwiftAccount account(RpcContext context, String project, String container, String backupId) {
        return account(project, container, backupId);
    }

    @Override
    public boolean grantsWithoutUser() {
        return true;
    }

    /** A grant to every object of {@code backupId} in {@code container} of {@code project}, for the token TTL. */
    public String grant(String project, String container, String backupId) {
        return grant(project, container, backupId, List.of());
    }

    /**
     * The same, and read access to the objects at {@code readableLocations} (their segments too): an incremental's
     * parent, whose metadata its backup starts from, or a whole chain being restored.
     */
    public String grant(String project, String container, String backupId,
                        List<String> readableLocations) {
        List<String> readable = readableLocations.stream().map(ObjectLocation::parse)
                .map(location -> location.container() + "/" + location.object()).toList();
        return tokens.mint(project, container + "/" + backupId, readable, backups.tokenTtl());
    }

    /** The project's account, every request carrying a grant to the backup's objects in {@code container}. */
    public SwiftAccount account(String project, String container, String backupId) {
        return client.account(URI.create(swiftUrl(project)), grant(project, container, backupId));
    }

    String baseUrl() {
        return properties.url() != null ? properties.url() : LocalStoreUrl.base(environment);
    }
}
