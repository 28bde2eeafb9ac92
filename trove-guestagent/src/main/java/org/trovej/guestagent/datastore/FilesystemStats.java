package org.trovej.guestagent.datastore;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;

/**
 * {@code get_filesystem_stats} as Trove's guest computes it from statvfs: block counts, {@code total} and
 * {@code used} in GB (rounded to 2 decimals, at least 0.01 when not zero), {@code free} in bytes.
 * Java's FileStore gives the same statvfs numbers: total = f_blocks, unallocated = f_bfree, usable = f_bavail,
 * all in units of the fragment size it reports as the block size.
 */
public final class FilesystemStats {

    private FilesystemStats() {
    }

    public static ObjectNode of(Path path) {
        if (!Files.isDirectory(path)) {
            throw new GuestError("Filesystem not found (" + path + ")");
        }
        try {
            FileStore store = Files.getFileStore(path);
            long blockSize = store.getBlockSize();
            long total = store.getTotalSpace();
            long free = store.getUnallocatedSpace();
            long avail = store.getUsableSpace();
            ObjectNode stats = PythonJson.object();
            stats.put("block_size", blockSize);
            stats.put("total_blocks", total / blockSize);
            stats.put("free_blocks", free / blockSize);
            stats.put("avail_blocks", avail / blockSize);
            stats.put("total", toGb(total));
            stats.put("free", free);
            stats.put("used", toGb(total - free));
            return stats;
        } catch (IOException | UnsupportedOperationException e) {
            throw new GuestError("Filesystem not found (" + path + "): " + e.getMessage(), e);
        }
    }

    /** Trove's utils.to_gb: GiB rounded half-even to 2 places (Python's round), never 0.0 for a non-zero size. */
    public static double toGb(long bytes) {
        if (bytes == 0) {
            return 0.0;
        }
        double gb = bytes / (1024.0 * 1024.0 * 1024.0);
        double rounded = new BigDecimal(gb).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
        return Math.max(rounded, 0.01);
    }

    /**
     * The space used on a volume in GB, as {@link #of} counts it: of the filesystem when the volume is a mount of
     * its own (a Cinder volume); of the files under it when it is only a directory on its parent's filesystem (the
     * local back end), where the filesystem's figure would be the host's.
     */
    public static double usedGb(Path volume) {
        try {
            FileStore own = Files.getFileStore(volume);
            Path parent = volume.toAbsolutePath().getParent();
            if (parent == null || !own.equals(Files.getFileStore(parent))) {
                return toGb(own.getTotalSpace() - own.getUnallocatedSpace());
            }
            return toGb(directorySize(volume));
        } catch (IOException e) {
            throw new GuestError("Filesystem not found (" + volume + "): " + e.getMessage(), e);
        }
    }

    /** Bytes under {@code dir} (0 when it does not exist); for the manager's extra volume info. */
    public static long directorySize(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a WAL segment recycled while we walk
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
