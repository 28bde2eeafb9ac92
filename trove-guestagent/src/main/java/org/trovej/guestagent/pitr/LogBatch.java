package org.trovej.guestagent.pitr;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * Closed transaction log files to ship in one object, and the moment before which every commit is in them or in
 * what was shipped before.
 *
 * @param files           oldest first; empty when nothing was written since the last batch
 * @param first           the first file, or (with no files) the last one shipped
 * @param last            the last file, or (with no files) the last one shipped
 * @param afterGap        files between the last one shipped and {@code first} are lost
 * @param archiveSuffix   the object's ending before the compression's and {@code .enc} ({@code .tar})
 * @param source          opens the files' archive stream (a tar); read once
 */
public record LogBatch(List<String> files, String first, String last, Instant restorableUntil, boolean afterGap,
                       String archiveSuffix, Source source) {

    /** The archive stream of the files. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    public LogBatch {
        files = List.copyOf(files);
    }

    /** Nothing written since {@code shipped}; every commit before {@code until} is in what was shipped. */
    public static LogBatch idle(String shipped, Instant until) {
        return new LogBatch(List.of(), shipped, shipped, until, false, "", () -> InputStream.nullInputStream());
    }

    public boolean empty() {
        return files.isEmpty();
    }
}
