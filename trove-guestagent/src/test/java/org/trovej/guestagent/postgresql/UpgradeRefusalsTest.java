package org.trovej.guestagent.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trovej.common.upgrade.UpgradeInfo;
import org.trovej.guestagent.datastore.DatastoreUpgrade;
import org.trovej.guestagent.datastore.GuestError;
import org.trovej.guestagent.os.Commands;

/**
 * What an upgrade refuses before it touches the data: a version its programs are not (a Nova server has only its
 * image's), a downgrade, and, for engines that only restart, other programs or another version without programs.
 */
class UpgradeRefusalsTest {

    private static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");

    @TempDir
    Path dataDir;

    private PostgresUpgrade upgradeOfDataFrom(int major) throws Exception {
        Files.createDirectories(dataDir.resolve("data"));
        Files.writeString(dataDir.resolve("data").resolve("PG_VERSION"), major + "\n");
        // nothing runs as this user here (the checks come first), but the agent never runs a database tool as root
        String me = "root".equals(System.getProperty("user.name")) ? "postgres" : System.getProperty("user.name");
        PostgresSettings settings = new PostgresSettings("127.0.0.1", 5432, dataDir, DEBIAN_15, me,
                dataDir.resolve("socket"), null);
        return new PostgresUpgrade(settings, new Commands(me));
    }

    @Test
    void aVersionTheProgramsAreNotIsRefused() throws Exception {
        PostgresUpgrade upgrade = upgradeOfDataFrom(15);

        assertThatThrownBy(() -> upgrade.convert(new UpgradeInfo("16", "16.4", Map.of()), Map.of()))
                .isInstanceOf(GuestError.class)
                .hasMessage("Datastore version 16 is PostgreSQL 16, but the programs this guest has for it ("
                        + DEBIAN_15 + ") are PostgreSQL 15");
        assertThatCode(() -> upgrade.convert(new UpgradeInfo("15.20", "15.20", Map.of()), Map.of()))
                .as("the same major: nothing to convert").doesNotThrowAnyException();
        assertThat(dataDir.resolve("data").resolve("PG_VERSION")).hasContent("15");
    }

    @Test
    void aDowngradeIsRefused() throws Exception {
        PostgresUpgrade upgrade = upgradeOfDataFrom(16);

        assertThatThrownBy(() -> upgrade.convert(new UpgradeInfo("15", "15.20",
                Map.of("bin_dir", DEBIAN_15.toString())), Map.of()))
                .isInstanceOf(GuestError.class)
                .hasMessageContaining("cannot take the data of PostgreSQL 16: a major version cannot be downgraded");
    }

    @Test
    void enginesThatOnlyRestartRefuseOtherProgramsAndOtherVersionsWithoutThem() {
        DatastoreUpgrade restart = DatastoreUpgrade.sameProgramsOnly("mariadb", "10.11");
        Map<String, String> running = Map.of("mysqld", "/usr/sbin/mariadbd", "port", "3306");

        assertThatCode(() -> restart.convert(new UpgradeInfo("10.11", "10.11.14", Map.of()), running))
                .doesNotThrowAnyException();
        assertThatCode(() -> restart.convert(new UpgradeInfo("10.11.14", "10.11.14", running), running))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> restart.convert(new UpgradeInfo("11.4", "11.4.2",
                Map.of("mysqld", "/opt/mariadb-11/bin/mariadbd")), running))
                .isInstanceOf(GuestError.class).hasMessageContaining("not to /opt/mariadb-11/bin/mariadbd");
        assertThatThrownBy(() -> restart.convert(new UpgradeInfo("11.4", "11.4.2", Map.of()), running))
                .isInstanceOf(GuestError.class)
                .hasMessage("This guest agent runs mariadb 10.11 and has no other programs: it cannot upgrade to 11.4");
    }
}
