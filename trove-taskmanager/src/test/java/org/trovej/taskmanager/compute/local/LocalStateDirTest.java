package org.trovej.taskmanager.compute.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where instances live: the state directory when the databases' OS users can reach it, else a directory of its
 * own under the shared root (a checkout in root's home or in {@code mktemp -d}).
 */
class LocalStateDirTest {

    @TempDir
    Path temp;

    @Test
    void aReachableStateDirectoryIsKept() throws Exception {
        Path open = Files.createDirectories(temp.resolve("open"));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = open.resolve("checkout/.trovej");

        assertThat(LocalStateDir.choose(null, state, List.of("nobody"), temp.resolve("shared"))).isEqualTo(state);
        assertThat(temp.resolve("shared")).doesNotExist();
    }

    @Test
    void aStateDirectoryBehindAPrivateDirectoryMovesToTheSharedRoot() throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path state = home.resolve("my-checkout/.trovej");
        Path shared = temp.resolve("shared");

        Path chosen = LocalStateDir.choose(null, state, List.of("nobody"), shared);

        assertThat(chosen.getParent()).isEqualTo(shared);
        assertThat(chosen.getFileName().toString()).matches("my-checkout-[0-9a-f]{8}");
        assertThat(Files.getPosixFilePermissions(chosen)).contains(PosixFilePermission.OTHERS_EXECUTE);
        assertThat(HostUsers.reachable(chosen.resolve("instances"), "nobody")).isTrue();
        // another checkout of the same name elsewhere gets its own directory
        assertThat(LocalStateDir.choose(null, home.resolve("x/my-checkout/.trovej"), List.of("nobody"), shared))
                .isNotEqualTo(chosen);
    }

    @Test
    void withoutSeparateDatabaseUsersAnyDirectoryWorks() throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path state = home.resolve("c/.trovej");

        assertThat(LocalStateDir.choose(null, state, List.of(), temp.resolve("shared"))).isEqualTo(state);
    }

    @Test
    void theOperatorsChoiceIsKept() {
        Path configured = temp.resolve("chosen");
        assertThat(LocalStateDir.choose(configured, temp.resolve("c/.trovej"), List.of("nobody"),
                temp.resolve("shared"))).isEqualTo(configured);
    }
}
