package org.trovej.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.common.json.PythonJson;

/** The oslo.messaging envelopes captured from Trove, in ../shared/fixtures/oslo beside the checkout. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path dir() {
        String configured = System.getenv("TROVEJ_SHARED_DIR");
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = configured != null ? Path.of(configured) : p.resolve("shared");
            if (Files.isDirectory(candidate.resolve("fixtures/oslo"))) {
                return candidate.resolve("fixtures/oslo");
            }
            Path sibling = p.resolveSibling("shared");
            if (Files.isDirectory(sibling.resolve("fixtures/oslo"))) {
                return sibling.resolve("fixtures/oslo");
            }
        }
        throw new IllegalStateException("shared/fixtures/oslo not found above " + start
                + " (set TROVEJ_SHARED_DIR to the shared/ directory)");
    }

    public static JsonNode load(String name) {
        try {
            return PythonJson.parse(Files.readString(dir().resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
