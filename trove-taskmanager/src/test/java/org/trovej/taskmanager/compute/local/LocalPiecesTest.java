package org.trovej.taskmanager.compute.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
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
    void mariaDbIsIdentifiedByWhatItsServerSaysAndMatchedPartByPart() throws Exception {
        EngineInstallation installed = MariaDbEngine.identify(Path.of("/usr/sbin/mariadbd"), "system").orElseThrow(
                () -> new AssertionError("Debian's mariadb-server should be installed (scripts/ensure-services)"));
        assertThat(installed.version()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(installed.version()).startsWith(installed.versionName() + ".");
        assertThat(installed.location()).isEqualTo(Path.of("/usr/sbin/mariadbd"));
        assertThat(MariaDbEngine.identify(temp.resolve("nothing"), "configured")).isEmpty();

        MariaDbEngine engine = new MariaDbEngine(new LocalProperties(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null));
        assertThat(engine.managers()).containsExactly("mariadb", "mysql");
        assertThat(engine.port()).isEqualTo(3306);
        assertThat(engine.runAs()).isEqualTo("mysql");
        assertThat(engine.installations()).containsExactly(installed);
        String[] parts = installed.version().split("\\.");
        assertThat(engine.forVersion(installed.version(), null)).contains(installed);
        assertThat(engine.forVersion(installed.versionName(), null)).contains(installed);
        assertThat(engine.forVersion(null, parts[0])).contains(installed);
        assertThat(engine.forVersion("latest", installed.versionName())).contains(installed);
        assertThat(engine.forVersion(parts[0] + "." + (Integer.parseInt(parts[1]) + 1), installed.versionName()))
                .as("a version number that does not match is not overridden by the name").isEmpty();
        assertThat(engine.forVersion("5.7", null)).isEmpty();
        assertThat(MariaDbEngine.requested("10.11-debian")).containsExactly("10", "11");
        assertThat(MariaDbEngine.requested("latest")).isNull();

        // the backup tools of the same build: Debian's in /usr/bin beside /usr/sbin/mariadbd (mariadb-backup)
        assertThat(MariaDbEngine.backupTool(installed.location(), MariaDbEngine.BACKUP_PROGRAMS))
                .as("Debian's mariadb-backup should be installed (scripts/ensure-services)")
                .contains(Path.of("/usr/bin/mariadb-backup"));
        assertThat(MariaDbEngine.backupTool(installed.location(), MariaDbEngine.UNPACKERS))
                .contains(Path.of("/usr/bin/mbstream"));
        Path tarball = Files.createDirectories(temp.resolve("mariadb-10.6/bin"));
        Files.createFile(tarball.resolve("mariabackup"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThat(MariaDbEngine.backupTool(tarball.resolve("mariadbd"), MariaDbEngine.BACKUP_PROGRAMS))
                .contains(tarball.resolve("mariabackup"));
        assertThat(MariaDbEngine.backupTool(tarball.resolve("mariadbd"), MariaDbEngine.UNPACKERS)).isEmpty();

        LocalEngines engines = new LocalEngines(List.of(engine));
        assertThat(engines.forManager("MySQL")).contains(engine);
        assertThat(engines.forManager("postgresql")).isEmpty();
        assertThat(org.trovej.common.datastore.VersionNumbers.compare("9.6", "10")).isNegative();
        assertThat(org.trovej.common.datastore.VersionNumbers.compare("10.11", "10.6")).isPositive();
        assertThat(org.trovej.common.datastore.VersionNumbers.compare("15", "15")).isZero();
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
        // what the bundle's name says, used to skip unpacking one that would not be offered
        assertThat(ZonkyBinaries.majorOf(bundle)).isEqualTo(installation.major());
        assertThat(ZonkyBinaries.bundles()).as("trove-embedded's own bundles beside the zonky jar's")
                .anySatisfy(b -> assertThat(ZonkyBinaries.majorOf(b)).isEqualTo(14));
        assertThat(bin.resolve("initdb")).isExecutable();
        // unpacked once: a second call finds it
        assertThat(ZonkyBinaries.unpack(bundle, temp.resolve("binaries"))).isEqualTo(bin);
    }
}
