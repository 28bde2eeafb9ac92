package org.trovej.guestagent.datastore;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trove's guest API for databases, users, access and root, over one engine's {@link AccountAdmin}: the same
 * paging (sorted, {@code limit}/{@code marker}/{@code include_marker}, a next marker while more remain), the
 * same invisibility of the engine's own accounts and databases, and the checks that make a bad request fail
 * before anything changes (unknown user or database, a name that is taken, a system account).
 */
public final class Accounts {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    private static final char[] PASSWORD_CHARS =
            "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int GENERATED_PASSWORD_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A page of a list and the marker of the next one (null on the last page). */
    public record Page<T>(List<T> items, String nextMarker) {
    }

    private final AccountAdmin admin;
    private final Runnable requireReady;

    /**
     * @param requireReady throws when the datastore cannot take account changes (not prepared yet)
     */
    public Accounts(AccountAdmin admin, Runnable requireReady) {
        this.admin = admin;
        this.requireReady = requireReady;
    }

    // ---- databases ------------------------------------------------------------------------------------------

    public void createDatabases(List<DatabaseSpec> databases) throws Exception {
        requireReady.run();
        for (DatabaseSpec db : databases) {
            refuseIgnoredDatabase(db.name());
        }
        for (DatabaseSpec db : databases) {
            admin.createDatabase(db);
        }
    }

    public Page<DatabaseSpec> listDatabases(Integer limit, String marker, boolean includeMarker) throws Exception {
        requireReady.run();
        return page(admin.listDatabases(), db -> admin.ignoredDatabases().contains(db.name()), DatabaseSpec::name,
                limit, marker, includeMarker);
    }

    public void deleteDatabase(DatabaseSpec database) throws Exception {
        requireReady.run();
        refuseIgnoredDatabase(database.name());
        requireDatabase(database.name());
        admin.dropDatabase(database.name());
    }

    // ---- users ----------------------------------------------------------------------------------------------

    public void createUsers(List<UserSpec> users) throws Exception {
        requireReady.run();
        List<UserSpec> existing = admin.listUsers();
        for (UserSpec user : users) {
            refuseIgnoredUser(user.name());
            if (existing.stream().anyMatch(u -> sameAccount(u, user.name(), user.host()))) {
                throw GuestErrors.userAlreadyExists(user.name(), user.host());
            }
            for (String db : user.databases()) {
                refuseIgnoredDatabase(db);
            }
        }
        requireDatabases(users.stream().flatMap(u -> u.databases().stream()).distinct().toList());
        for (UserSpec user : users) {
            admin.createUser(user);
            log.info("Created user {}@{} with access to {}", user.name(), user.host(), user.databases());
        }
    }

    public Page<UserSpec> listUsers(Integer limit, String marker, boolean includeMarker) throws Exception {
        requireReady.run();
        return page(admin.listUsers(), u -> admin.ignoredUsers().contains(u.name()), Accounts::accountKey,
                limit, marker, includeMarker);
    }

    /** The user, or empty when there is none (or it is one of the engine's own). */
    public Optional<UserSpec> getUser(String name, String host) throws Exception {
        requireReady.run();
        if (admin.ignoredUsers().contains(name)) {
            return Optional.empty();
        }
        return admin.findUser(name, hostOrAny(host));
    }

    public void deleteUser(UserSpec user) throws Exception {
        requireReady.run();
        refuseIgnoredUser(user.name());
        requireUser(user.name(), user.host());
        admin.dropUser(user.name(), user.host());
        log.info("Deleted user {}@{}", user.name(), user.host());
    }

    /** Trove's update_attributes: any of a new name, host and password for one user. */
    public void updateAttributes(String name, String host, String newName, String newHost, String newPassword)
            throws Exception {
        requireReady.run();
        String currentHost = hostOrAny(host);
        refuseIgnoredUser(name);
        requireUser(name, currentHost);
        String targetName = newName == null ? name : newName;
        String targetHost = newHost == null ? currentHost : newHost;
        boolean moves = !targetName.equals(name) || !targetHost.equals(currentHost);
        if (moves) {
            refuseIgnoredUser(targetName);
            if (admin.findUser(targetName, targetHost).isPresent()) {
                throw GuestErrors.userAlreadyExists(targetName, targetHost);
            }
        }
        if (newPassword != null) {
            admin.setPassword(name, currentHost, newPassword);
        }
        if (moves) {
            admin.renameUser(name, currentHost, targetName, targetHost);
        }
        log.info("Updated user {}@{}{}{}", name, currentHost, moves ? " to " + targetName + "@" + targetHost : "",
                newPassword != null ? " (password changed)" : "");
    }

    public void changePasswords(List<UserSpec> users) throws Exception {
        requireReady.run();
        for (UserSpec user : users) {
            refuseIgnoredUser(user.name());
            requireUser(user.name(), user.host());
            if (user.password() == null || user.password().isEmpty()) {
                throw GuestErrors.badRequest("A password is required for user " + user.name());
            }
        }
        for (UserSpec user : users) {
            admin.setPassword(user.name(), user.host(), user.password());
        }
        log.info("Changed the password of {} user(s)", users.size());
    }

    public List<DatabaseSpec> listAccess(String name, String host) throws Exception {
        requireReady.run();
        refuseIgnoredUser(name);
        UserSpec user = requireUser(name, hostOrAny(host));
        return user.databases().stream().sorted().map(db -> new DatabaseSpec(db, null, null)).toList();
    }

    public void grantAccess(String name, String host, List<String> databases) throws Exception {
        requireReady.run();
        refuseIgnoredUser(name);
        requireUser(name, hostOrAny(host));
        for (String db : databases) {
            refuseIgnoredDatabase(db);
        }
        requireDatabases(databases);
        admin.grant(name, hostOrAny(host), databases);
        log.info("Granted {}@{} access to {}", name, hostOrAny(host), databases);
    }

    public void revokeAccess(String name, String host, String database) throws Exception {
        requireReady.run();
        refuseIgnoredUser(name);
        UserSpec user = requireUser(name, hostOrAny(host));
        if (!user.databases().contains(database)) {
            throw GuestErrors.databaseNotFound(database);
        }
        admin.revoke(name, hostOrAny(host), database);
        log.info("Revoked {}@{} access to {}", name, hostOrAny(host), database);
    }

    // ---- root -----------------------------------------------------------------------------------------------

    /** Enables root with this password, or a generated one when null; returns the root user with it. */
    public UserSpec enableRoot(String password) throws Exception {
        requireReady.run();
        String actual = password == null || password.isEmpty() ? generatePassword() : password;
        admin.enableRoot(actual);
        log.info("Root ({}) enabled", admin.rootName());
        return new UserSpec(admin.rootName(), actual, "%", List.of());
    }

    public void disableRoot() throws Exception {
        requireReady.run();
        admin.disableRoot();
        log.info("Root ({}) disabled", admin.rootName());
    }

    public boolean rootEnabled() throws Exception {
        requireReady.run();
        return admin.rootEnabled();
    }

    public String rootName() {
        return admin.rootName();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static String generatePassword() {
        char[] chars = new char[GENERATED_PASSWORD_LENGTH];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = PASSWORD_CHARS[RANDOM.nextInt(PASSWORD_CHARS.length)];
        }
        return new String(chars);
    }

    /** The items not {@code hidden}, in {@code key} order, after {@code marker} (or from it), at most {@code limit}. */
    static <T> Page<T> page(List<T> all, Predicate<T> hidden, Function<T, String> key, Integer limit, String marker,
                            boolean includeMarker) {
        List<T> sorted = all.stream().filter(hidden.negate()).sorted(Comparator.comparing(key)).toList();
        List<T> after = new ArrayList<>();
        for (T item : sorted) {
            int cmp = marker == null ? 1 : key.apply(item).compareTo(marker);
            if (cmp > 0 || (cmp == 0 && includeMarker)) {
                after.add(item);
            }
        }
        if (limit == null || limit <= 0 || after.size() <= limit) {
            return new Page<>(List.copyOf(after), null);
        }
        List<T> items = List.copyOf(after.subList(0, limit));
        return new Page<>(items, key.apply(items.get(items.size() - 1)));
    }

    private static String accountKey(UserSpec user) {
        return user.name() + "@" + user.host();
    }

    private static String hostOrAny(String host) {
        return host == null || host.isEmpty() ? "%" : host;
    }

    private static boolean sameAccount(UserSpec user, String name, String host) {
        return user.name().equals(name) && user.host().equals(hostOrAny(host));
    }

    private UserSpec requireUser(String name, String host) throws Exception {
        return admin.findUser(name, host).orElseThrow(() -> GuestErrors.userNotFound(name, host));
    }

    private void requireDatabase(String name) throws Exception {
        requireDatabases(List.of(name));
    }

    private void requireDatabases(List<String> names) throws Exception {
        if (names.isEmpty()) {
            return;
        }
        List<String> existing = admin.listDatabases().stream().map(DatabaseSpec::name).toList();
        for (String name : names) {
            if (!existing.contains(name)) {
                throw GuestErrors.databaseNotFound(name);
            }
        }
    }

    private void refuseIgnoredDatabase(String name) {
        if (admin.ignoredDatabases().contains(name)) {
            throw GuestErrors.badRequest("Database " + name + " is reserved by the datastore and cannot be changed.");
        }
    }

    private void refuseIgnoredUser(String name) {
        if (admin.ignoredUsers().contains(name)) {
            throw GuestErrors.badRequest("User " + name + " is reserved by the datastore and cannot be changed.");
        }
    }
}
