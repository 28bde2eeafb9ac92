package org.trovej.guestagent.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/** Who the agent runs as, and file ownership for the datastore user, without shelling out. */
public final class OsUser {

    private OsUser() {
    }

    public static String current() {
        return System.getProperty("user.name");
    }

    public static boolean isRoot() {
        return "root".equals(current());
    }

    /** Creates {@code dir} (and parents) if needed, owned by {@code user} (and its group) with {@code mode}. */
    public static void ensureDirectory(Path dir, String user, String mode) {
        try {
            Files.createDirectories(dir);
            ownAndChmod(dir, user, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir, e);
        }
    }

    /** Writes {@code content} to {@code file} created with {@code mode} from the start, then gives it to user. */
    public static void writeFile(Path file, String content, String user, String mode) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            // created with its final mode: a secret never sits in a world-readable file, even briefly
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            Files.writeString(tmp, content);
            if (user != null) {
                own(tmp, user);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Creates an empty file for {@code user} if it does not exist (e.g. a log the server appends to). */
    public static void touch(Path file, String user, String mode) {
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            } catch (FileAlreadyExistsException ignored) {
                // keep its content
            }
            own(file, user);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    public static void ownAndChmod(Path path, String user, String mode) throws IOException {
        own(path, user);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    /** Gives {@code path} to {@code user} and its primary group; a no-op when it already is theirs. */
    public static void own(Path path, String user) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        try {
            var owner = lookup.lookupPrincipalByName(user);
            if (!owner.equals(view.getOwner())) {
                view.setOwner(owner);
            }
            try {
                GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
                if (!group.equals(view.readAttributes().group())) {
                    view.setGroup(group);
                }
            } catch (UserPrincipalNotFoundException noSuchGroup) {
                // a user without a same-named group keeps the file's group
            }
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("OS user '" + user + "' does not exist", e);
        }
    }
}
