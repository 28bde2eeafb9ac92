package org.trovej.guestagent.backup;

import java.io.InputStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What an engine's backup produces: the stream to store, and the facts to store with it that are known only once
 * the stream has ended (PostgreSQL's last WAL file, InnoDB's last LSN): {@link #metadata} is read after the end.
 * Names are Swift metadata names without {@code X-Object-Meta-} ({@code Lsn}, {@code Stop-Wal-File}, ...).
 */
public record BackupSource(InputStream stream, Supplier<Map<String, String>> metadata) {

    /** A stream with no metadata of its own. */
    public static BackupSource of(InputStream stream) {
        return new BackupSource(stream, Map::of);
    }
}
