package org.trovej.guestagent.datastore;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one engine does for Trove's databases, users, grants and root. The RPC semantics around it (paging,
 * hidden system accounts, "not found" checks, generated root passwords) are shared, in {@link Accounts}; an
 * engine only talks to its server. Engine refusals of the caller's input (a name or password the server
 * rejects) are thrown as {@link GuestErrors#badRequest}, so the control plane can answer 400, not 500.
 */
public interface AccountAdmin {

    /** The superuser Trove's root API enables: {@code root} in the MySQL family, {@code postgres} in PostgreSQL. */
    String rootName();

    /** Databases that are part of the engine (hidden from lists, refused to create or drop). */
    Set<String> ignoredDatabases();

    /** Accounts that are part of the engine or of the agent (hidden from lists, refused to change). */
    Set<String> ignoredUsers();

    /** Every database on the server, ignored ones included, with character set and collation where known. */
    List<DatabaseSpec> listDatabases() throws Exception;

    /** Creates the database; one that exists is left as it is. */
    void createDatabase(DatabaseSpec database) throws Exception;

    void dropDatabase(String name) throws Exception;

    /** Every account on the server, ignored ones included, each with the databases it may use; no passwords. */
    List<UserSpec> listUsers() throws Exception;

    default Optional<UserSpec> findUser(String name, String host) throws Exception {
        return listUsers().stream().filter(u -> u.name().equals(name) && u.host().equals(host)).findFirst();
    }

    /** Creates the account with its password and grants it {@link UserSpec#databases()}. */
    void createUser(UserSpec user) throws Exception;

    void dropUser(String name, String host) throws Exception;

    /** Renames and/or re-hosts an existing account, keeping its grants; null means unchanged. */
    void renameUser(String name, String host, String newName, String newHost) throws Exception;

    void setPassword(String name, String host, String password) throws Exception;

    /** Gives the account full use of each database (they exist: checked by the caller). */
    void grant(String name, String host, List<String> databases) throws Exception;

    void revoke(String name, String host, String database) throws Exception;

    /** Lets {@link #rootName()} log in from anywhere with this password (creating the account if needed). */
    void enableRoot(String password) throws Exception;

    /** Takes the root login away again (Trove's disable_root). */
    void disableRoot() throws Exception;

    /** Whether {@link #rootName()} can log in remotely. */
    boolean rootEnabled() throws Exception;
}
