package org.trovej.guestagent.datastore;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A server's log file as a start sees it: the end before the start, and what the server wrote after it, which is
 * what a failed start's message quotes.
 */
public record ServerLog(Path file) {

    /** How much of the log's end is read: enough for the last few lines of any server. */
    private static final int TAIL_BYTES = 8192;
    private static final int LINES = 4;

    /** Where the log ends now (0 when there is none yet). */
    public long end() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last lines written since {@code offset}, joined with {@code " | "}; "" when there are none. */
    public String since(long offset) {
        return since(offset, line -> false);
    }

    /**
     * The last {@code preferred} lines written since {@code offset} (a server's error lines), else the last
     * lines of any kind; joined with {@code " | "}, "" when there are none.
     */
    public String since(long offset, Predicate<String> preferred) {
        try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(offset, log.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) Math.max(0, log.length() - from)];
            log.seek(from);
            log.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).strip().lines()
                    .map(String::strip).filter(l -> !l.isEmpty()).toList();
            List<String> chosen = lines.stream().anyMatch(preferred) ? lines.stream().filter(preferred).toList()
                    : lines;
            return chosen.subList(Math.max(0, chosen.size() - LINES), chosen.size()).stream()
                    .collect(Collectors.joining(" | "));
        } catch (IOException e) {
            return "";
        }
    }
}
