package org.trovej.guestagent.postgresql;

import java.util.regex.Pattern;

/**
 * A WAL segment's file name, {@code TTTTTTTTXXXXXXXXYYYYYYYY}: timeline, then the segment number split in two
 * (the "log id" and the segment within it). Names of one timeline sort in WAL order, and a later timeline's
 * names after an earlier one's, which is what pruning and Trove's "files from the parent's stop WAL on" rely on.
 * What follows a segment name in other archive files ({@code .partial}, {@code .<offset>.backup}) is ignored
 * by {@link #prefixOf}.
 */
record WalFileName(long timeline, long logId, long segment) implements Comparable<WalFileName> {

    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
    private static final long LOG_ID_SPAN = 0x1_0000_0000L;

    /** Whether {@code name} is exactly a segment's name (not a history, backup or partial file). */
    static boolean isSegment(String name) {
        return SEGMENT.matcher(name).matches();
    }

    static WalFileName parse(String name) {
        if (!isSegment(name)) {
            throw new IllegalArgumentException("not a WAL segment file name: " + name);
        }
        return new WalFileName(Long.parseLong(name.substring(0, 8), 16), Long.parseLong(name.substring(8, 16), 16),
                Long.parseLong(name.substring(16, 24), 16));
    }

    /** The segment name an archive file's name starts with, or null (history files, temporary files). */
    static String prefixOf(String fileName) {
        if (fileName.length() < 24 || !isSegment(fileName.substring(0, 24))) {
            return null;
        }
        return fileName.substring(0, 24);
    }

    /**
     * The segment after this one on the same timeline; {@code segmentBytes} is the cluster's WAL segment size
     * (16 MiB unless initdb was told otherwise), which decides how many segments a log id holds.
     */
    WalFileName next(long segmentBytes) {
        long perLogId = LOG_ID_SPAN / segmentBytes;
        return segment + 1 < perLogId ? new WalFileName(timeline, logId, segment + 1)
                : new WalFileName(timeline, logId + 1, 0);
    }

    @Override
    public int compareTo(WalFileName other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return String.format("%08X%08X%08X", timeline, logId, segment);
    }
}
