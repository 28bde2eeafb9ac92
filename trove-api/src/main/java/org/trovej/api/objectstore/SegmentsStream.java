package org.trovej.api.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;

/**
 * A Static Large Object's content: its segments opened one at a time, in order, each checked against the
 * manifest when it is opened. A segment replaced or removed since breaks the stream (the client sees a short
 * body, as from Swift) rather than serving other bytes than the manifest promised.
 */
final class SegmentsStream extends InputStream {

    private final LocalObjectStore store;
    private final String project;
    private final Iterator<ObjectRecord.Segment> segments;
    private ObjectFile.Opened current;
    private InputStream data;

    SegmentsStream(LocalObjectStore store, String project, List<ObjectRecord.Segment> segments) {
        this.store = store;
        this.project = project;
        this.segments = segments.iterator();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            if (data == null && !next()) {
                return -1;
            }
            int n = data.read(b, off, len);
            if (n >= 0) {
                return n;
            }
            closeCurrent();
        }
    }

    private boolean next() throws IOException {
        if (!segments.hasNext()) {
            return false;
        }
        ObjectRecord.Segment segment = segments.next();
        try {
            current = store.open(project, segment.container(), segment.object());
        } catch (StoreException e) {
            throw new IOException("segment " + segment.path() + " is gone");
        }
        if (!current.record().etag().equals(segment.etag()) || current.record().manifest()) {
            closeCurrent();
            throw new IOException("segment " + segment.path() + " changed");
        }
        data = current.data();
        return true;
    }

    private void closeCurrent() throws IOException {
        data = null;
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
    }
}
