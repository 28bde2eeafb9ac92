package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Where the local back end keeps its instances. Databases run as their own OS users ({@code postgres},
 * {@code mysql}) when TroveJ runs as root, and those users must be able to walk down to the instances' volumes.
 * A checkout in a private directory (root's home, {@code mktemp -d}: mode 0700) would leave them outside, so
 * unless the operator chose a directory ({@code trovej.local.state-dir}), the default {@code <trovej.state-dir>}
 * gives way to {@code /var/lib/trovej/<checkout>-<hash>}, one per state directory, so two checkouts never share
 * instances.
 */
final class LocalStateDir {

    static final Path SHARED_ROOT = Path.of("/var/lib/trovej");

    private LocalStateDir() {
    }

    /**
     * @param configured    {@code trovej.local.state-dir}, or null: an operator's choice is kept as it is (and
     *                      refused later, with the reason, if the databases cannot reach it)
     * @param preferred     {@code trovej.state-dir}: the default when the databases can reach it
     * @param databaseUsers the OS users the databases run as, empty when they run as TroveJ's own user
     */
    static Path choose(Path configured, Path preferred, List<String> databaseUsers, Path sharedRoot) {
        if (configured != null) {
            return configured.toAbsolutePath().normalize();
        }
        Path state = preferred.toAbsolutePath().normalize();
        if (databaseUsers.stream().allMatch(user -> HostUsers.reachable(state.resolve("instances"), user))) {
            return state;
        }
        Path shared = sharedRoot.resolve(name(state));
        try {
            var open = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(sharedRoot, open);
            Files.createDirectories(shared, open);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + shared + " for the local back end's instances ("
                    + state + " is not reachable by " + String.join(", ", databaseUsers)
                    + "); choose trovej.local.state-dir", e);
        }
        return shared;
    }

    /** {@code <last element>-<first 8 hex of SHA-256 of the path>}: readable, and unique per state directory. */
    static String name(Path state) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(state.toString().getBytes(StandardCharsets.UTF_8));
            Path parent = state.getParent();
            // the checkout's name says more than ".trovej"
            String label = parent != null && state.getFileName().toString().startsWith(".")
                    ? parent.getFileName() + "" : state.getFileName() + "";
            return label.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
