package org.trovej.guestagent.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A log store in a directory, for tests: {@code <root>/<container>/<object>} (an object's slashes are
 * directories), with each object's metadata and expiry kept in memory for the tests to look at.
 */
public final class DirectoryLogStore implements LogStore {

    /** What was stored with an object besides its bytes. */
    public record Stored(Map<String, String> metadata, long deleteAfterSeconds) {
    }

    private final Path root;
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();

    public DirectoryLogStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The metadata and expiry {@code object} was stored with (null: not stored by this store). */
    public Stored stored(String container, String object) {
        return stored.get(container + "/" + object);
    }

    /** The object's bytes (empty when absent). */
    public byte[] bytes(String container, String object) {
        return read(container, object).orElse(new byte[0]);
    }

    @Override
    public void ensureContainer(String container) {
        try {
            Files.createDirectories(root.resolve(container));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<byte[]> read(String container, String object) {
        Path file = root.resolve(container).resolve(object);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void put(String container, String object, byte[] body, Map<String, String> metadata,
                    long deleteAfterSeconds) {
        Path file = root.resolve(container).resolve(object);
        if (!Files.isDirectory(root.resolve(container))) {
            throw new IllegalStateException("container " + container + " does not exist");
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stored.put(container + "/" + object, new Stored(Map.copyOf(metadata), deleteAfterSeconds));
    }

    @Override
    public List<String> list(String container, String prefix) {
        Path dir = root.resolve(container);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString())
                    .filter(n -> n.startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String container, String object) {
        try {
            Files.deleteIfExists(root.resolve(container).resolve(object));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stored.remove(container + "/" + object);
    }
}
