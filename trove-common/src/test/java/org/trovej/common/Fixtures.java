package org.trovej.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import com.fasterxml.jackson.databind.JsonNode;
import org.trovej.common.json.PythonJson;
import org.trovej.testsupport.SharedFixtures;

/** The captured oslo envelopes, parsed as our codec parses (floats kept exactly). */
public final class Fixtures {

    private Fixtures() {
    }

    public static JsonNode load(String name) {
        try {
            return PythonJson.parse(Files.readString(SharedFixtures.osloDir().resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
