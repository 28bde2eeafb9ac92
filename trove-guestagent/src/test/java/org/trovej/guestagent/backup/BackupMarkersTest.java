package org.trovej.guestagent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.config.IniFile;

class BackupMarkersTest {

    @TempDir
    Path tmp;

    @Test
    void aRunningBackupIsFoundAfterARestartUntilItIsFinished() throws Exception {
        BackupMarkers markers = new BackupMarkers(tmp.resolve("backups-g1"));
        markers.begin(new BackupMarkers.Running("b-1", "http://s/v1/AUTH_p", "database_backups", "b-1.tar.gz",
                "tok"));

        BackupMarkers afterRestart = new BackupMarkers(tmp.resolve("backups-g1"));
        assertThat(afterRestart.interrupted()).containsExactly(new BackupMarkers.Running("b-1",
                "http://s/v1/AUTH_p", "database_backups", "b-1.tar.gz", "tok"));
        assertThat(afterRestart.known("b-1")).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                tmp.resolve("backups-g1").resolve("b-1.running")))).as("it holds a token").isEqualTo("rw-------");

        afterRestart.finish("b-1");

        assertThat(afterRestart.interrupted()).isEmpty();
        assertThat(afterRestart.known("b-1")).as("a redelivered create_backup is not run again").isTrue();
        assertThat(afterRestart.known("b-2")).isFalse();
        assertThat(Files.readString(tmp.resolve("backups-g1").resolve("b-1.done"))).doesNotContain("tok");
    }

    @Test
    void anUnreadableRecordStillReportsItsBackup() throws Exception {
        Files.createDirectories(tmp.resolve("m"));
        Files.writeString(tmp.resolve("m").resolve("b-9.running"), "{\"backup_id\": \"b-9\", \"swi");

        assertThat(new BackupMarkers(tmp.resolve("m")).interrupted())
                .containsExactly(new BackupMarkers.Running("b-9", null, null, null, null));
    }

    @Test
    void backupIdsCannotLeaveTheDirectory() {
        BackupMarkers markers = new BackupMarkers(tmp);
        assertThatThrownBy(() -> markers.known("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static IniFile ini(String text) {
        return IniFile.parse(text.lines().toList(), "test");
    }

    @Test
    void settingsReadTrovesOptionNames() {
        GuestConfig config = GuestConfig.of(ini("""
                [DEFAULT]
                guest_id = g1
                state_dir = %s
                backup_encryption_key = k3y
                backup_segment_max_size = 1048576
                """.formatted(tmp)));

        BackupSettings settings = BackupSettings.from(config);

        assertThat(settings.encryptionKey()).isEqualTo("k3y");
        assertThat(settings.segmentMaxSize()).isEqualTo(1048576);
        assertThat(settings.compression()).isEqualTo(BackupCompression.ZSTD);
        assertThat(settings.markerDir()).isEqualTo(tmp.resolve("backups-g1"));
        assertThat(settings.toString()).doesNotContain("k3y");
        BackupSettings defaults = BackupSettings.from(GuestConfig.of(ini("[DEFAULT]\nguest_id = g\n")));
        assertThat(defaults.encryptionKey()).isNull();
        assertThat(defaults.segmentMaxSize()).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThatThrownBy(() -> BackupSettings.from(GuestConfig.of(ini(
                "[DEFAULT]\nbackup_segment_max_size = 2G\n")))).hasMessageContaining("backup_segment_max_size");
        assertThat(BackupSettings.from(GuestConfig.of(ini("[DEFAULT]\nbackup_compression = gzip\n"))).compression())
                .isEqualTo(BackupCompression.GZIP);
        assertThatThrownBy(() -> BackupSettings.from(GuestConfig.of(ini("[DEFAULT]\nbackup_compression = xz\n"))))
                .hasMessageContaining("backup_compression must be zstd or gzip");
    }
}
