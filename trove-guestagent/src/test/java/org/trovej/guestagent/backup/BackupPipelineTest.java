package org.trovej.guestagent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.github.luben.zstd.ZstdInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup pipeline and its restore against a directory store: round trips with and without encryption,
 * segment boundaries, the checksums, and failures of the source and of the stored bytes.
 */
class BackupPipelineTest {

    private static final String KEY = "backup-key-0123456789";
    private static final Map<String, String> META = Map.of("Datastore", "postgresql", "Datastore-Version", "15",
            "Backup-Type", "full");

    @TempDir
    Path tmp;

    /** Half random (incompressible), half repetitive: gzip output of a known, non-trivial size. */
    private static byte[] data(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        for (int i = size / 2; i < size; i++) {
            data[i] = (byte) ("row " + (i % 977) + "\n").charAt(i % 5);
        }
        return data;
    }

    private static byte[] restore(DirectoryBackupStore store, String object, String key, String md5)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RestorePipeline(key).restore("b1", store, object, md5, tar -> tar.transferTo(out));
        return out.toByteArray();
    }

    @Test
    void backupsAndRestoresLeaveNoMessageFileOfTheirToolsBehind() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        byte[] input = data(300_000, 9);
        Set<Path> before = toolMessageFiles();
        for (int i = 0; i < 3; i++) {
            BackupPipeline.Stored stored = new BackupPipeline(store, BackupCompression.ZSTD, KEY, 100_000)
                    .store(new ByteArrayInputStream(input), "l" + i + ".tar.zst.enc", META);
            assertThat(restore(store, "l" + i + ".tar.zst.enc", KEY, stored.md5())).isEqualTo(input);
        }
        Set<Path> after = toolMessageFiles();
        after.removeAll(before);
        assertThat(after).as("the openssl command's message files, left behind").isEmpty();
    }

    private static Set<Path> toolMessageFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("trove-guestagent-openssl-enc-"))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    @Test
    void encryptedBackupInManySegmentsRestoresToTheInput() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "database_backups");
        byte[] input = data(3_000_000, 1);

        BackupPipeline.Stored stored = new BackupPipeline(store, BackupCompression.ZSTD, KEY, 100_000)
                .store(new ByteArrayInputStream(input), "b1.tar.gz.enc", META);

        assertThat(stored.sourceBytes()).isEqualTo(input.length);
        assertThat(stored.segments()).isGreaterThan(10);
        assertThat(stored.location()).isEqualTo("http://store.test/v1/AUTH_test/database_backups/b1.tar.gz.enc");
        assertThat(store.isManifest("b1.tar.gz.enc")).isTrue();
        assertThat(store.names()).contains("b1.tar.gz.enc_00000001",
                BackupPipeline.segmentName("b1.tar.gz.enc", stored.segments()));
        long total = 0;
        for (int i = 1; i <= stored.segments(); i++) {
            long size = Files.size(store.file(BackupPipeline.segmentName("b1.tar.gz.enc", i)));
            if (i < stored.segments()) {
                assertThat(size).isEqualTo(100_000);
            } else {
                assertThat(size).isBetween(1L, 100_000L);
            }
            total += size;
        }
        assertThat(total).isEqualTo(stored.storedBytes());
        BackupStore.StoredObject object = store.open("b1.tar.gz.enc");
        byte[] bytes;
        try (InputStream in = object.body()) {
            bytes = in.readAllBytes();
        }
        assertThat(new String(bytes, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("Salted__");
        assertThat(stored.md5()).isEqualTo(hex("MD5", bytes));
        assertThat(stored.sha256()).isEqualTo(hex("SHA-256", bytes));
        assertThat(object.metadata()).containsEntry("sha256", stored.sha256()).containsEntry("md5", stored.md5())
                .containsEntry("datastore", "postgresql").containsEntry("backup-type", "full");

        assertThat(restore(store, "b1.tar.gz.enc", KEY, stored.md5())).isEqualTo(input);
    }

    @Test
    void aBackupThatFitsOneSegmentIsASingleObject() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        byte[] input = data(200_000, 2);

        BackupPipeline.Stored stored = new BackupPipeline(store, BackupCompression.ZSTD, KEY, 10_000_000)
                .store(new ByteArrayInputStream(input), "b1.tar.gz.enc", META);

        assertThat(stored.segments()).isEqualTo(1);
        assertThat(store.names()).containsExactly("b1.tar.gz.enc");
        assertThat(store.isManifest("b1.tar.gz.enc")).isFalse();
        assertThat(restore(store, "b1.tar.gz.enc", KEY, stored.md5())).isEqualTo(input);
    }

    @Test
    void segmentBoundariesFallExactlyWhereTheLimitSays() throws Exception {
        byte[] input = data(500_000, 3);
        // unencrypted output is deterministic: its size is known from a first run
        long size = new BackupPipeline(new DirectoryBackupStore(tmp.resolve("probe"), "c"), BackupCompression.ZSTD,
                null, Long.MAX_VALUE)
                .store(new ByteArrayInputStream(input), "b.tar.gz", META).storedBytes();

        DirectoryBackupStore exact = new DirectoryBackupStore(tmp.resolve("exact"), "c");
        BackupPipeline.Stored one = new BackupPipeline(exact, BackupCompression.ZSTD, null, size)
                .store(new ByteArrayInputStream(input), "b.tar.gz", META);
        assertThat(one.segments()).as("a stream exactly one segment long leaves no empty second one").isEqualTo(1);
        assertThat(exact.names()).containsExactly("b.tar.gz");

        DirectoryBackupStore over = new DirectoryBackupStore(tmp.resolve("over"), "c");
        BackupPipeline.Stored two = new BackupPipeline(over, BackupCompression.ZSTD, null, size - 1)
                .store(new ByteArrayInputStream(input), "b.tar.gz", META);
        assertThat(two.segments()).isEqualTo(2);
        assertThat(Files.size(over.file("b.tar.gz_00000001"))).isEqualTo(size - 1);
        assertThat(Files.size(over.file("b.tar.gz_00000002"))).isEqualTo(1);
        assertThat(two.md5()).isEqualTo(one.md5());
        assertThat(restore(over, "b.tar.gz", null, two.md5())).isEqualTo(input);

        DirectoryBackupStore halves = new DirectoryBackupStore(tmp.resolve("halves"), "c");
        long half = size % 2 == 0 ? size / 2 : size / 2 + 1;
        BackupPipeline.Stored split = new BackupPipeline(halves, BackupCompression.ZSTD, null, half)
                .store(new ByteArrayInputStream(input), "b.tar.gz", META);
        assertThat(split.segments()).isEqualTo(2);
        assertThat(restore(halves, "b.tar.gz", null, split.md5())).isEqualTo(input);
    }

    @Test
    void withoutAKeyTheObjectIsPlainGzip() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        byte[] input = data(300_000, 4);

        new BackupPipeline(store, BackupCompression.GZIP, null, 1_000_000)
                .store(new ByteArrayInputStream(input), "b1.tar.gz", META);

        try (InputStream in = new GZIPInputStream(Files.newInputStream(store.file("b1.tar.gz")))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
    }

    @Test
    void anEmptySourceIsStoredAndRestored() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");

        BackupPipeline.Stored stored = new BackupPipeline(store, BackupCompression.ZSTD, KEY, 1000)
                .store(new ByteArrayInputStream(new byte[0]), "e.tar.gz.enc", META);

        assertThat(stored.sourceBytes()).isZero();
        assertThat(restore(store, "e.tar.gz.enc", KEY, stored.md5())).isEmpty();
    }

    @Test
    void aFlippedByteFailsTheChecksumNamingTheBackup() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        byte[] input = data(400_000, 5);
        BackupPipeline.Stored stored = new BackupPipeline(store, BackupCompression.ZSTD, KEY, 50_000)
                .store(new ByteArrayInputStream(input), "b1.tar.gz.enc", META);
        Path segment = store.file("b1.tar.gz.enc_00000002");
        byte[] bytes = Files.readAllBytes(segment);
        bytes[1234] ^= 0x01;
        Files.write(segment, bytes);

        assertThatThrownBy(() -> restore(store, "b1.tar.gz.enc", KEY, stored.md5()))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageStartingWith("Backup b1 failed its checksum");
    }

    @Test
    void aFlippedByteInTheLastBlockFailsTheChecksumToo() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        BackupPipeline.Stored stored = new BackupPipeline(store, BackupCompression.ZSTD, null, 10_000_000)
                .store(new ByteArrayInputStream(data(100_000, 6)), "b1.tar.gz", META);
        Path file = store.file("b1.tar.gz");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x40; // the gzip trailer: the restore itself may not notice
        Files.write(file, bytes);

        assertThatThrownBy(() -> restore(store, "b1.tar.gz", null, stored.md5()))
                .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("MD5");
    }

    @Test
    void theSha256MetadataIsCheckedBesideTheMd5() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        BackupPipeline.Stored stored = new BackupPipeline(store, BackupCompression.ZSTD, null, 10_000_000)
                .store(new ByteArrayInputStream(data(10_000, 7)), "b1.tar.gz", META);
        Path meta = store.file("b1.tar.gz.meta");
        Files.writeString(meta, Files.readString(meta).replace(stored.sha256(), "00" + stored.sha256().substring(2)));

        assertThatThrownBy(() -> restore(store, "b1.tar.gz", null, stored.md5()))
                .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> restore(store, "b1.tar.gz", null, "0123456789abcdef0123456789abcdef"))
                .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("MD5");
    }

    @Test
    void aWrongKeyFailsWithoutPassingBadDataAsGood() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        byte[] input = data(100_000, 8);
        BackupPipeline.Stored stored = new BackupPipeline(store, BackupCompression.ZSTD, KEY, 10_000_000)
                .store(new ByteArrayInputStream(input), "b1.tar.gz.enc", META);

        assertThatThrownBy(() -> restore(store, "b1.tar.gz.enc", "another-key", stored.md5()))
                .isInstanceOf(IOException.class).isNotInstanceOf(ChecksumMismatchException.class);
        assertThatThrownBy(() -> restore(store, "b1.tar.gz.enc", null, stored.md5()))
                .hasMessageContaining("no backup_encryption_key");
    }

    @Test
    void theSourcesOwnFailureIsWhatTheBackupFailsWith() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        InputStream failing = new InputStream() {
            private int left = 300_000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("pg_basebackup failed (exit 1): could not connect");
                }
                return left & 0x7f;
            }
        };

        assertThatThrownBy(() -> new BackupPipeline(store, BackupCompression.ZSTD, KEY, 50_000)
                .store(failing, "b1.tar.gz.enc", META))
                .isInstanceOf(IOException.class).hasMessage("pg_basebackup failed (exit 1): could not connect");
        store.deleteBackup("b1.tar.gz.enc");
        assertThat(store.names()).isEmpty();
    }

    @Test
    void withoutAKeyTheObjectIsPlainZstdWithItsContentChecksum() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        byte[] input = data(300_000, 8);

        BackupPipeline.Stored stored = new BackupPipeline(store, BackupCompression.ZSTD, null, 1_000_000)
                .store(new ByteArrayInputStream(input), "b1.tar.zst", META);

        byte[] object = Files.readAllBytes(store.file("b1.tar.zst"));
        assertThat(stored.storedBytes()).isEqualTo(object.length).isLessThan(input.length);
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(object))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
        // the frame's checksum flag (bit 2 of the frame header descriptor) is set: zstd checks the content too
        assertThat(object[4] & 0x04).isEqualTo(0x04);
    }

    @ParameterizedTest
    @EnumSource(BackupCompression.class)
    void theRestoreKnowsEitherFormatByItsBytesNotByTheName(BackupCompression compression) throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        byte[] input = data(2_000_000, 9);

        // a misleading name on purpose: the object's first bytes decide
        BackupPipeline.Stored stored = new BackupPipeline(store, compression, KEY, 300_000)
                .store(new ByteArrayInputStream(input), "b1.tar.enc", META);

        assertThat(stored.segments()).isGreaterThan(1);
        assertThat(restore(store, "b1.tar.enc", KEY, stored.md5())).isEqualTo(input);
    }

    @Test
    void bytesInNeitherFormatAreRefusedSayingSo() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        Files.write(store.file("raw.tar"), "not compressed at all".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(store.file("raw.tar.meta"), "{}");

        assertThatThrownBy(() -> restore(store, "raw.tar", null, null))
                .isInstanceOf(IOException.class).hasMessageContaining("neither gzip nor zstd")
                .hasMessageContaining("6e6f7420");
    }

    @Test
    void theCompressionOptionTakesZstdOrGzipAndDefaultsToZstd() {
        assertThat(BackupCompression.parse(null)).isEqualTo(BackupCompression.ZSTD);
        assertThat(BackupCompression.parse(" ")).isEqualTo(BackupCompression.ZSTD);
        assertThat(BackupCompression.parse("GZIP")).isEqualTo(BackupCompression.GZIP);
        assertThat(BackupCompression.ZSTD.suffix()).isEqualTo(".zst");
        assertThat(BackupCompression.GZIP.suffix()).isEqualTo(".gz");
        assertThatThrownBy(() -> BackupCompression.parse("lz4"))
                .hasMessage("backup_compression must be zstd or gzip, not 'lz4'");
    }

    static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }
}
