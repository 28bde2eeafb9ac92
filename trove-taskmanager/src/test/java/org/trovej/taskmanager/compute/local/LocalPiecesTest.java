package org.trovej.taskmanager.compute.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trovej.taskmanager.compute.ComputeException;

/** The local back end's pieces that need no control plane. */
class LocalPiecesTest {

    @TempDir
    Path temp;

    @Test
    void loopbackAddressesAreUniqueAndAvoidTheHostsOwnAndEdgeAddresses() {
        Set<String> seen = new HashSet<>();
        for (long n = 1; n <= 200_000; n++) {
            String address = LoopbackAddresses.of(n);
            assertThat(seen.add(address)).as("unique: " + address).isTrue();
            String[] octets = address.split("\\.");
            assertThat(octets[0]).isEqualTo("127");
            assertThat(Integer.parseInt(octets[1])).isBetween(1, 254);
            assertThat(Integer.parseInt(octets[3])).isBetween(1, 254);
        }
        assertThat(LoopbackAddresses.of(1)).isEqualTo("127.1.0.1");
        assertThat(LoopbackAddresses.of(LoopbackAddresses.CAPACITY)).isEqualTo("127.254.255.254");
        assertThat(LoopbackAddresses.of(LoopbackAddresses.CAPACITY + 1)).as("wraps around").isEqualTo("127.1.0.1");
    }

    @Test
    void datastoreVersionsAreMatchedOnTheirMajorVersion() {
        assertThat(PostgresInstallations.major("15")).isEqualTo(15);
        assertThat(PostgresInstallations.major("15.4")).isEqualTo(15);
        assertThat(PostgresInstallations.major("9.6")).isEqualTo(9);
        assertThat(PostgresInstallations.major("latest")).isNull();
        assertThat(PostgresInstallations.major(null)).isNull();
    }

    @Test
    void aMissingGuestAgentJarIsNamed() {
        GuestAgentJar jar = new GuestAgentJar(temp.resolve("nope/trove-guestagent-all.jar"), temp.resolve("copies"));
        assertThatThrownBy(jar::require).isInstanceOf(ComputeException.class)
                .hasMessageContaining("nope/trove-guestagent-all.jar does not exist");
    }

    @Test
    void guestsRunACopyOfTheJarThatARebuildCannotPullAway() throws Exception {
        Path built = Files.writeString(temp.resolve("trove-guestagent-0.1-all.jar"), "v1");
        GuestAgentJar jar = new GuestAgentJar(built, temp.resolve("copies"));
        Path first = jar.require();
        assertThat(first).isNotEqualTo(built).hasContent("v1");
        assertThat(jar.require()).isEqualTo(first);
        Files.writeString(built, "version 2");
        Path second = jar.require();
        assertThat(second).isNotEqualTo(first).hasContent("version 2");
        assertThat(first).hasContent("v1");
    }

    @Test
    void theBundledBinariesUnpackAndRunWhenTheHostHasNone() {
        URL bundle = ZonkyBinaries.bundle().orElseThrow(() -> new AssertionError(
                "the zonky PostgreSQL bundle should be on the test classpath (trove-embedded)"));
        Path bin = ZonkyBinaries.unpack(bundle, temp.resolve("binaries"));
        PostgresInstallation installation = PostgresInstallations.identify(bin, "zonky").orElseThrow();
        assertThat(installation.major()).isGreaterThanOrEqualTo(13);
        assertThat(installation.version()).startsWith(installation.major() + ".");
        assertThat(bin.resolve("initdb")).isExecutable();
        // unpacked once: a second call finds it
        assertThat(ZonkyBinaries.unpack(bundle, temp.resolve("binaries"))).isEqualTo(bin);
    }
}
