package org.trovej.guestagent.datastore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.os.OsUser;

/**
 * Pre-initialised data directories shared by the guests of one host ({@code template_dir}): each engine's is
 * built once per key (server build, OS user, options) and copied into every new instance instead of being
 * initialised again. Guests on the same host may ask at the same moment: a file lock per key makes one of them
 * build while the others wait, and a template appears only when complete (built aside, then moved in).
 */
public final class TemplateDirectories {

    /** Fills an empty directory, owned by the database's OS user, with a fresh data directory. */
    public interface Builder {
        void buildInto(Path building) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(TemplateDirectories.class);
    /** Serialises builds of agents sharing one JVM (tests): the file lock is per process. */
    private static final Object BUILDS = new Object();

    private TemplateDirectories() {
    }

    /**
     * {@code <dir>/<key>}, built by {@code builder} if it is not there yet.
     *
     * @param marker a file or directory that only a complete template has (e.g. PG_VERSION)
     * @param what   what the template is, for the log ("template cluster")
     */
    public static Path ensure(Path dir, String key, String marker, String runAs, String what, Builder builder)
            throws IOException {
        Path template = dir.resolve(key);
        if (Files.exists(template.resolve(marker))) {
            return template;
        }
        if (!Files.isDirectory(dir)) {
            OsUser.ensureDirectory(dir, runAs, "rwx------");
        }
        Path lockFile = dir.resolve("." + key + ".lock");
        synchronized (BUILDS) {
            try {
                Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                OsUser.own(lockFile, runAs);
            } catch (FileAlreadyExistsException exists) {
                // another guest made it; it stays for the next build
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.exists(template.resolve(marker))) {
                    return template; // built by the guest we waited for
                }
                // under the lock, any half-built template of this key is a crashed builder's
                try (Stream<Path> entries = Files.list(dir)) {
                    for (Path stale : entries.filter(p -> p.getFileName().toString().startsWith("." + key
                            + ".building")).toList()) {
                        deleteTree(stale);
                    }
                }
                Path building = dir.resolve("." + key + ".building-" + ProcessHandle.current().pid());
                OsUser.ensureDirectory(building, runAs, "rwx------");
                log.info("Initialising the {} {} (once per server build on this host)", what, template);
                long started = System.nanoTime();
                try {
                    builder.buildInto(building);
                    Files.move(building, template, StandardCopyOption.ATOMIC_MOVE);
                } catch (RuntimeException | IOException e) {
                    deleteTree(building);
                    throw e;
                }
                log.info("{} {} ready in {} ms", what, template, (System.nanoTime() - started) / 1_000_000);
                return template;
            }
        }
    }

    /** A short stable digest for template keys. */
    public static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }
}
