package org.trovej.guestagent.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemStatsTest {

    @TempDir
    Path dir;

    @Test
    void gigabytesAreRoundedAsTroveRoundsThem() {
        assertThat(FilesystemStats.toGb(0)).isEqualTo(0.0);
        assertThat(FilesystemStats.toGb(1)).isEqualTo(0.01);
        assertThat(FilesystemStats.toGb(1L << 30)).isEqualTo(1.0);
        assertThat(FilesystemStats.toGb((long) (2.345 * (1L << 30)))).isEqualTo(2.34); // just below x.345
        assertThat(FilesystemStats.toGb(10L << 30)).isEqualTo(10.0);
    }

    @Test
    void statsOfADirectoryAreConsistent() {
        ObjectNode stats = FilesystemStats.of(dir);
        long bs = stats.get("block_size").asLong();
        assertThat(bs).isPositive();
        assertThat(stats.get("total_blocks").asLong()).isGreaterThanOrEqualTo(stats.get("free_blocks").asLong());
        assertThat(stats.get("free_blocks").asLong()).isGreaterThanOrEqualTo(stats.get("avail_blocks").asLong());
        assertThat(stats.get("free").asLong()).isEqualTo(stats.get("free_blocks").asLong() * bs);
        assertThat(stats.get("total").asDouble()).isGreaterThanOrEqualTo(stats.get("used").asDouble());
        assertThatThrownBy(() -> FilesystemStats.of(dir.resolve("missing"))).hasMessageContaining("not found");
    }

    @Test
    void theUsedSpaceOfAVolumeThatIsOnlyADirectoryIsItsFilesNotTheHostFilesystem() throws Exception {
        Path volume = java.nio.file.Files.createDirectory(dir.resolve("volume"));
        java.nio.file.Files.write(volume.resolve("data"), new byte[3 * 1024 * 1024]);
        java.nio.file.Files.createDirectories(volume.resolve("sub"));
        java.nio.file.Files.write(volume.resolve("sub/more"), new byte[2 * 1024 * 1024]);
        assertThat(FilesystemStats.usedGb(volume)).isEqualTo(FilesystemStats.toGb(5L * 1024 * 1024)).isEqualTo(0.01);
        try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(volume.resolve("big").toFile(), "rw")) {
            big.setLength(1L << 30);
        }
        // a sparse 1 GB file counts by its length, as du --apparent-size would
        assertThat(FilesystemStats.usedGb(volume)).isEqualTo(1.0);
        // a mount of its own (here /proc, whose filesystem is not its parent's) counts as the filesystem does
        assertThat(FilesystemStats.usedGb(Path.of("/proc"))).isGreaterThanOrEqualTo(0.0);
        assertThatThrownBy(() -> FilesystemStats.usedGb(dir.resolve("missing"))).hasMessageContaining("not found");
    }
}
