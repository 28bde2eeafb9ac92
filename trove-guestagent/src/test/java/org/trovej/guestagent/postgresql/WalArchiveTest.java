package org.trovej.guestagent.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trovej.guestagent.os.OsUser;

/** The WAL archive's files, names, pruning and the archive command, on a directory (no server needed). */
class WalArchiveTest {

    private static final long SEGMENT = 16L * 1024 * 1024;

    @TempDir
    Path volume;
    private WalArchive archive;

    @BeforeEach
    void setUp() {
        archive = new WalArchive(volume.resolve("wal_archive"), OsUser.current());
        archive.ensure();
    }

    /** A whole segment as the archiver leaves it (sparse: no disk used). */
    private void segment(String name) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(archive.dir().resolve(name).toFile(), "rw")) {
            file.setLength(SEGMENT);
        }
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(archive.dir())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void segmentNamesFollowEachOtherAcrossALogId() {
        assertThat(WalFileName.parse("000000010000000000000003").next(SEGMENT))
                .hasToString("000000010000000000000004");
        // a log id holds 4 GiB: 256 segments of 16 MiB, 4096 of 1 MiB
        assertThat(WalFileName.parse("0000000100000000000000FF").next(SEGMENT))
                .hasToString("000000010000000100000000");
        assertThat(WalFileName.parse("0000000100000000000000FF").next(1024 * 1024))
                .hasToString("000000010000000000000100");
        assertThat(WalFileName.prefixOf("000000010000000000000003.00000028.backup"))
                .isEqualTo("000000010000000000000003");
        assertThat(WalFileName.prefixOf("00000002.history")).isNull();
        assertThat(WalFileName.isSegment("000000010000000000000003.partial")).isFalse();
    }

    @Test
    void aRangeIsEverySegmentBetweenAndAGapIsNamed() throws IOException {
        for (String name : List.of("0000000100000000000000FE", "0000000100000000000000FF",
                "000000010000000100000000", "000000010000000100000002")) {
            segment(name);
        }
        assertThat(archive.segmentsBetween("0000000100000000000000FE", "000000010000000100000000"))
                .containsExactly("0000000100000000000000FE", "0000000100000000000000FF", "000000010000000100000000");
        assertThatThrownBy(() -> archive.segmentsBetween("0000000100000000000000FF", "000000010000000100000002"))
                .hasMessageStartingWith("WAL file 000000010000000100000001 is missing from the WAL archive");
        assertThatThrownBy(() -> archive.segmentsBetween("0000000100000000000000FF", "000000020000000100000002"))
                .hasMessageContaining("timeline changed from 1 to 2");
    }

    @Test
    void pruningKeepsFromTheNewestBackupsStopWalFileOn() throws IOException {
        for (int i = 1; i <= 6; i++) {
            segment(String.format("0000000100000000000000%02X", i));
        }
        Files.writeString(archive.dir().resolve("000000010000000000000002.00000028.backup"), "label");
        Files.writeString(archive.dir().resolve("00000001.history"), "");
        Path working = archive.dir().resolve("000000010000000000000001.tmp");
        Path abandoned = archive.dir().resolve("000000010000000000000002.tmp");
        Files.writeString(working, "");
        Files.writeString(abandoned, "");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
        WalArchivePruning pruning = new WalArchivePruning(archive, volume, volume.resolve("recovery.signal"));

        pruning.backupStarted();
        pruning.prune();
        assertThat(files()).hasSize(10); // nothing while a backup runs

        pruning.backupEnded("000000010000000000000004");
        assertThat(archive.newestBackupStop()).contains("000000010000000000000004");
        assertThat(files()).as("pruned by the status loop, not on the backup's way to COMPLETED").hasSize(11);
        pruning.pruneIfDue();
        assertThat(files()).containsExactly(WalArchive.NEWEST_BACKUP, "00000001.history",
                "000000010000000000000001.tmp", "000000010000000000000004", "000000010000000000000005",
                "000000010000000000000006");

        // a failed backup moves nothing
        pruning.backupStarted();
        pruning.backupEnded(null);
        assertThat(archive.newestBackupStop()).contains("000000010000000000000004");
    }

    @Test
    void withoutABackupOnlyTheNewestSegmentStaysAndNothingGoesBeforeARecovery() throws IOException {
        for (int i = 1; i <= 3; i++) {
            segment(String.format("0000000100000000000000%02X", i));
        }
        Files.writeString(volume.resolve("recovery.signal"), "");
        WalArchivePruning pruning = new WalArchivePruning(archive, volume, volume.resolve("recovery.signal"));
        pruning.prune();
        assertThat(files()).hasSize(3);

        Files.delete(volume.resolve("recovery.signal"));
        pruning.pruneIfDue(); // looked a moment ago: not due yet
        assertThat(files()).hasSize(3);
        new WalArchivePruning(archive, volume, volume.resolve("recovery.signal")).pruneIfDue(); // due at once
        assertThat(files()).containsExactly("000000010000000000000003");
    }

    @Test
    void theArchiveCommandCopiesWholeFilesAndAcceptsOnlyTheSameBytesAgain() throws Exception {
        Path pgData = Files.createDirectories(volume.resolve("data").resolve("pg_wal"));
        Path wal = pgData.resolve("000000010000000000000007");
        Files.writeString(wal, "segment bytes");
        assertThat(archive("pg_wal/000000010000000000000007")).isZero();
        assertThat(Files.readString(archive.dir().resolve("000000010000000000000007"))).isEqualTo("segment bytes");
        assertThat(files()).containsExactly("000000010000000000000007");
        // archived again after a crash: the same bytes are fine, other bytes are refused
        assertThat(archive("pg_wal/000000010000000000000007")).isZero();
        Files.writeString(wal, "other bytes");
        assertThat(archive("pg_wal/000000010000000000000007")).isNotZero();
        assertThat(Files.readString(archive.dir().resolve("000000010000000000000007"))).isEqualTo("segment bytes");

        Path restored = pgData.resolve("RECOVERYXLOG");
        assertThat(run(archive.restoreCommand().replace("%f", "000000010000000000000007").replace("%p",
                "pg_wal/RECOVERYXLOG"))).isZero();
        assertThat(Files.readString(restored)).isEqualTo("segment bytes");
        assertThat(run(archive.restoreCommand().replace("%f", "000000010000000000000008").replace("%p",
                "pg_wal/RECOVERYXLOG"))).isNotZero();
    }

    @Test
    void aPathWithAQuoteIsOneShellWord() throws Exception {
        WalArchive odd = new WalArchive(volume.resolve("it's archived"), OsUser.current());
        odd.ensure();
        Path pgData = Files.createDirectories(volume.resolve("data").resolve("pg_wal"));
        Files.writeString(pgData.resolve("000000010000000000000001"), "x");
        assertThat(run(odd.archiveCommand().replace("%f", "000000010000000000000001")
                .replace("%p", "pg_wal/000000010000000000000001"))).isZero();
        assertThat(odd.dir().resolve("000000010000000000000001")).hasContent("x");
    }

    @Test
    void aBackupHistoryFileGivesTrovesMetadata() {
        BackupHistoryFile history = BackupHistoryFile.parse("""
                START WAL LOCATION: 0/2000028 (file 000000010000000000000002)
                STOP WAL LOCATION: 0/2000138 (file 000000010000000000000002)
                CHECKPOINT LOCATION: 0/2000060
                BACKUP METHOD: streamed
                BACKUP FROM: primary
                START TIME: 2026-01-01 10:00:00 UTC
                LABEL: trove backup 1234
                START TIMELINE: 1
                STOP TIME: 2026-01-01 10:00:01 UTC
                STOP TIMELINE: 1
                """).orElseThrow();
        assertThat(history.metadata()).containsEntry("Start-Segment", "0/2000028")
                .containsEntry("Start-Wal-File", "000000010000000000000002")
                .containsEntry("Stop-Segment", "0/2000138").containsEntry("Stop-Wal-File", "000000010000000000000002")
                .containsEntry("Checkpoint-Location", "0/2000060").containsEntry("Label", "trove backup 1234");
        assertThat(BackupHistoryFile.parse("LABEL: x")).isEmpty();
    }

    private int archive(String walPath) throws Exception {
        return run(archive.archiveCommand().replace("%f", Path.of(walPath).getFileName().toString())
                .replace("%p", walPath));
    }

    /** Runs a command as the server would, with sh in the cluster directory. */
    private int run(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).directory(volume.resolve("data").toFile())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
