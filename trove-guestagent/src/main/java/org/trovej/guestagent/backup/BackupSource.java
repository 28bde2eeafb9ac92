package org.trovej.guestagent.backup;

import java.io.InputStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What an engine's backup produces: the stream to store, and the facts to store with it that are known only once
 * the stream has ended (PostgreSQL's last WAL file, InnoDB's last LSN): {@link #metadata} is read after the end.
 * Names are Swift metadata names without {@code X-Object-Meta-} ({@code Lsn}, {@code Stop-Wal-File}, ...).
 *
 * @param compressed the compression the engine's tool already applied (the pipeline then stores the stream as it
 *                   is), or null for a plain archive the pipeline compresses
 */
public record BackupSource(InputStream stream, Supplier<Map<String, String>> metadata, BackupCompression compressed) {

    public BackupSource(InputStream stream, Supplier<Map<String, String>> metadata) {
        this(stream, metadata, null);
    }

    /** A stream with no metadata of its own. */
    public static BackupSource of(InputStream stream) {
        return new BackupSource(stream, Map::of);
    }
}
