package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.trovej.common.objectstore.SloSegment;

/**
 * Where a backup's bytes go and come from: one container of an object store. The production store is Swift's
 * HTTP API ({@link SwiftBackupStore}); tests plug in a directory. The pipeline decides names and checksums; a
 * store only moves bytes and answers what it stored.
 */
public interface BackupStore {

    /** Stores one segment, reading {@code body} to its end; answers the MD5 hex the store computed of it. */
    String putSegment(String name, InputStream body) throws IOException;

    /** The backup was one segment: it becomes {@code object}, with {@code metadata}; the segment goes. */
    void promoteSegment(String segment, String object, Map<String, String> metadata) throws IOException;

    /** The backup was several segments: {@code object} becomes their Static Large Object manifest. */
    void putManifest(String object, List<SloSegment> segments, Map<String, String> metadata) throws IOException;

    /** The object's bytes (a manifest's: its segments' in order) and its metadata (names lower-cased). */
    StoredObject open(String object) throws IOException;

    /** The object's metadata (names lower-cased) without its bytes; an IOException naming it when it is absent. */
    Map<String, String> metadata(String object) throws IOException;

    /** Removes the object and every segment {@code <object>_*}; what is not there is no error. */
    void deleteBackup(String object) throws IOException;

    /** The object's location as Trove records it ({@code <swift_url>/<container>/<object>}). */
    String location(String object);

    /** The container, for manifest paths ({@code /<container>/<segment>}). */
    String container();

    /** An opened object: read and close {@code body}. */
    record StoredObject(InputStream body, Map<String, String> metadata) {
    }
}
