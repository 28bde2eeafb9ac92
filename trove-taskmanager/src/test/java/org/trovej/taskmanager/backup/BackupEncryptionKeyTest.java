package org.trovej.taskmanager.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trovej.common.backup.BackupCompressionName;
import org.trovej.taskmanager.compute.GuestBootstrap;
import org.trovej.taskmanager.compute.GuestConfigText;

/** The backup encryption key: made once, kept private, the same after a restart; and how a guest is told it. */
class BackupEncryptionKeyTest {

    @TempDir
    Path state;

    @Test
    void theGeneratedKeyIsKeptPrivateAndStaysTheSame() throws Exception {
        Path file = state.resolve("local").resolve(BackupEncryptionKey.FILE);
        String first = BackupEncryptionKey.keptIn(file);
        assertThat(first).hasSize(43).matches("[A-Za-z0-9_-]+"); // 256 random bits, safe in "pass:<key>"
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(BackupEncryptionKey.keptIn(file)).as("read back after a restart").isEqualTo(first);
        assertThat(BackupEncryptionKey.keptIn(state.resolve("other").resolve(BackupEncryptionKey.FILE)))
                .as("another state directory, another key").isNotEqualTo(first);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void aConfiguredKeyIsUsedAndNeverPrinted() {
        BackupProperties properties = new BackupProperties(null, null, null, null, "operator-key-1", null);
        assertThat(properties.toString()).doesNotContain("operator-key-1");
        assertThat(properties.timeout()).isEqualTo(Duration.ofHours(24));
        assertThat(properties.tokenTtl()).isEqualTo(Duration.ofHours(25));
        assertThat(properties.compression()).isEqualTo(BackupCompressionName.ZSTD);
    }

    @Test
    void theConfiguredCompressionReachesTheGuestAndNoneLeavesTheGuestsDefault() {
        GuestBootstrap gzip = new GuestBootstrap("i-1", "t", "postgresql", "16", "16.4", null, "rabbit://h:5672/",
                "trove", "trove-conductor", null, BackupCompressionName.GZIP.option());
        assertThat(GuestConfigText.agentConf(gzip, Duration.ofSeconds(10), Map.of(), null, Map.of(), "test"))
                .contains("\nbackup_compression = gzip\n");
        GuestBootstrap unset = new GuestBootstrap("i-1", "t", "postgresql", "16", "16.4", null, "rabbit://h:5672/",
                "trove", "trove-conductor", null);
        assertThat(GuestConfigText.agentConf(unset, Duration.ofSeconds(10), Map.of(), null, Map.of(), "test"))
                .doesNotContain("backup_compression");
        assertThatThrownBy(() -> BackupCompressionName.parse("bzip2"))
                .hasMessage("backup_compression must be zstd or gzip, not 'bzip2'");
    }

    @Test
    void theGuestConfigurationCarriesTheKeyOnlyWhenThereIsOne() {
        GuestBootstrap with = new GuestBootstrap("i-1", "t", "postgresql", "16", "16.4", null, "rabbit://h:5672/",
                "trove", "trove-conductor", "k3y");
        assertThat(GuestConfigText.agentConf(with, Duration.ofSeconds(10), Map.of(), null, Map.of(), "test"))
                .contains("\nbackup_encryption_key = k3y\n");
        assertThat(with.toString()).doesNotContain("k3y");
        GuestBootstrap without = new GuestBootstrap("i-1", "t", "postgresql", "16", "16.4", null, "rabbit://h:5672/",
                "trove", "trove-conductor");
        assertThat(GuestConfigText.agentConf(without, Duration.ofSeconds(10), Map.of(), null, Map.of(), "test"))
                .doesNotContain("backup_encryption_key");
    }
}
