package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;
import org.trovej.common.objectstore.SloSegment;

/**
 * A backup container as a directory, for tests: an object is a file, its metadata a {@code <name>.meta} JSON file
 * beside it, a manifest a {@code <name>.manifest} JSON file listing its segments (read back as their
 * concatenation, as Swift does).
 */
public final class DirectoryBackupStore implements BackupStore {

    private final Path dir;
    private final String container;

    public DirectoryBackupStore(Path dir, String container) throws IOException {
        this.dir = Files.createDirectories(dir.resolve(container));
        this.container = container;
    }

    public Path file(String object) {
        return dir.resolve(object);
    }

    /** The names of the stored objects and segments (not the .meta/.manifest files), sorted. */
    public List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".meta"))
                    .map(n -> n.endsWith(".manifest") ? n.substring(0, n.length() - ".manifest".length()) : n)
                    .sorted().toList();
        }
    }

    public boolean isManifest(String object) {
        return Files.exists(dir.resolve(object + ".manifest"));
    }

    @Override
    public String putSegment(String name, InputStream body) throws IOException {
        MessageDigest md5 = DigestingInputStream.digest("MD5");
        try (InputStream in = new DigestInputStream(body, md5)) {
            Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    @Override
    public void promoteSegment(String segment, String object, Map<String, String> metadata) throws IOException {
        Files.move(dir.resolve(segment), dir.resolve(object), StandardCopyOption.REPLACE_EXISTING);
        writeMetadata(object, metadata);
    }

    @Override
    public void putManifest(String object, List<SloSegment> segments, Map<String, String> metadata)
            throws IOException {
        ArrayNode manifest = PythonJson.array();
        for (SloSegment segment : segments) {
            String prefix = "/" + container + "/";
            String name = segment.path().substring(prefix.length());
            if (!Files.exists(dir.resolve(name)) || Files.size(dir.resolve(name)) != segment.sizeBytes()) {
                throw new IOException("segment " + name + " is missing or of another size");
            }
            manifest.addObject().put("path", segment.path()).put("etag", segment.etag())
                    .put("size_bytes", segment.sizeBytes());
        }
        Files.writeString(dir.resolve(object + ".manifest"), manifest.toString());
        writeMetadata(object, metadata);
    }

    @Override
    public Map<String, String> metadata(String object) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        Path meta = dir.resolve(object + ".meta");
        if (!Files.exists(meta)) {
            throw new IOException("no object " + object);
        }
        PythonJson.MAPPER.readTree(Files.readString(meta)).fields()
                .forEachRemaining(e -> metadata.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        return metadata;
    }

    @Override
    public StoredObject open(String object) throws IOException {
        Map<String, String> metadata = metadata(object);
        Path manifest = dir.resolve(object + ".manifest");
        if (!Files.exists(manifest)) {
            return new StoredObject(Files.newInputStream(dir.resolve(object)), metadata);
        }
        List<InputStream> parts = new ArrayList<>();
        for (JsonNode segment : PythonJson.MAPPER.readTree(Files.readString(manifest))) {
            String path = segment.get("path").asText();
            parts.add(Files.newInputStream(dir.resolve(path.substring(path.lastIndexOf('/') + 1))));
        }
        return new StoredObject(new SequenceInputStream(Collections.enumeration(parts)), metadata);
    }

    @Override
    public void deleteBackup(String object) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.equals(object) || name.startsWith(object + "_") || name.startsWith(object + ".")) {
                    Files.delete(p);
                }
            }
        }
    }

    @Override
    public String location(String object) {
        return "http://store.test/v1/AUTH_test/" + container + "/" + object;
    }

    @Override
    public String container() {
        return container;
    }

    private void writeMetadata(String object, Map<String, String> metadata) throws IOException {
        ObjectNode node = PythonJson.object();
        metadata.forEach(node::put);
        Files.writeString(dir.resolve(object + ".meta"), node.toString());
    }
}
