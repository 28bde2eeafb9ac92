package org.trovej.taskmanager.backup;

import java.util.List;

import org.trovej.common.objectstore.SwiftAccount;
import org.trovej.common.rpc.RpcContext;

/**
 * Where a project's backups are stored and how a guest (or the task manager itself) may reach them: the account URL
 * Trove's guest gets as {@code swift_url}, and the token it sends to the store (the context's {@code auth_token}).
 * One implementation per back end: TroveJ's local object store with per-backup grants ({@link
 * LocalObjectStoreAccounts}), or the cloud's Swift ({@link SwiftObjectStoreAccounts}).
 */
public interface ObjectStoreAccounts {

    /** Trove's {@code swift_url} for a backup of {@code project} made or restored under {@code context}. */
    String swiftUrl(RpcContext context, String project);

    /**
     * The context to cast {@code create_backup} or a restoring {@code prepare} with: its {@code auth_token} lets the
     * guest write the backup's objects ({@code <container>/<backupId>...}) and read those at
     * {@code readableLocations} (an incremental's parent, a restored chain).
     */
    RpcContext guestContext(RpcContext context, String project, String container, String backupId,
                            List<String> readableLocations);

    /**
     * Whether {@link #guestContext} can grant without a user's request behind it (the task manager's own work:
     * point-in-time restore's log shipping): TroveJ's own store mints grants; Swift needs the user's token.
     */
    default boolean grantsWithoutUser() {
        return false;
    }

    /** The account the task manager deletes a backup's objects through. */
    SwiftAccount account(RpcContext context, String project, String container, String backupId);
}
