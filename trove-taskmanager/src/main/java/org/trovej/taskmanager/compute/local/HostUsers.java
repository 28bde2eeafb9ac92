package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/** Who the task manager runs as, and handing directories to the databases' OS user. */
final class HostUsers {

    private HostUsers() {
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The user databases run as: {@code runAs} when root (PostgreSQL refuses root), else our own (null). */
    static String databaseUser(LocalProperties properties) {
        return isRoot() ? properties.runAs() : null;
    }

    /**
     * Fails when {@code user} could not reach {@code dir} because a directory above it is closed to others
     * (e.g. a state directory under a private temporary directory): the database would fail later, obscurely.
     */
    static void requireReachable(Path dir, String user) throws IOException {
        Path closed = firstClosedParent(dir, user);
        if (closed != null) {
            throw new IOException("the database runs as '" + user + "' and cannot reach " + dir + ": " + closed
                    + " is not searchable by other users (chmod o+x " + closed + ", or choose another "
                    + "trovej.local.state-dir)");
        }
    }

    /** Whether {@code user} can walk down to {@code dir} (every directory above it searchable by that user). */
    static boolean reachable(Path dir, String user) {
        try {
            return firstClosedParent(dir, user) == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first existing directory above {@code dir} that {@code user} may not search, or null. */
    private static Path firstClosedParent(Path dir, String user) throws IOException {
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (!Files.exists(p)) {
                continue;
            }
            PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
            var attributes = view.readAttributes();
            if (attributes.owner().getName().equals(user)) {
                continue;
            }
            if (!attributes.permissions().contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                return p;
            }
        }
        return null;
    }

    /** Gives {@code path} to {@code user} and its same-named group, if there is one. */
    static void chown(Path path, String user) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        try {
            view.setOwner(lookup.lookupPrincipalByName(user));
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("OS user '" + user + "' does not exist (trovej.local.run-as)", e);
        }
        try {
            view.setGroup(lookup.lookupPrincipalByGroupName(user));
        } catch (UserPrincipalNotFoundException noGroup) {
            // a user without a same-named group keeps the directory's group
        }
    }
}
