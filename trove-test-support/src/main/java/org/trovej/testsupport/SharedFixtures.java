package org.trovej.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The read-only fixtures in shared/ beside the checkout (CI clones the project with shared/ next to it), or
 * where TROVEJ_SHARED_DIR points.
 */
public final class SharedFixtures {

    private SharedFixtures() {
    }

    public static Path osloDir() {
        String configured = System.getenv("TROVEJ_SHARED_DIR");
        if (configured != null) {
            return Path.of(configured, "fixtures", "oslo");
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path sibling = p.resolveSibling("shared").resolve("fixtures/oslo");
            if (Files.isDirectory(sibling)) {
                return sibling;
            }
        }
        throw new IllegalStateException("shared/fixtures/oslo not found beside any parent of " + start
                + " (set TROVEJ_SHARED_DIR to the shared/ directory)");
    }

    public static JsonNode load(String name) {
        try {
            return new ObjectMapper().readTree(Files.readString(osloDir().resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
