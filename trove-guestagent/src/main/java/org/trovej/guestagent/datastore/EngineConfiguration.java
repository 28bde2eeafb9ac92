package org.trovej.guestagent.datastore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An engine's configuration, in layers the server reads in order (the last value read wins): the control plane's
 * rendered configuration ({@code config_contents}), memory settings sized by the agent, a configuration group's
 * values ({@code overrides}), and last the settings the agent must control. What is written takes effect at the
 * next start. {@link DatastoreManager} decides when each layer is written; the engine decides its files and
 * syntax, and which settings it never lets a layer change.
 */
public interface EngineConfiguration {

    /** Makes sure the files the layers live in, and the includes reading them, are there. */
    void ensureLayout();

    /** The control plane's rendered configuration; null: none. */
    void writeConfigContents(String configContents);

    /** Memory settings sized for a machine of {@code memoryMb}. */
    void writeMemory(int memoryMb);

    /** No memory settings of the agent's own (the rendered configuration sizes the server). */
    void removeMemory();

    /** A configuration group's values, settings the agent owns skipped; null or empty: none (a reset). */
    void writeOverrides(ObjectNode overrides);

    /** The file of the overrides layer. */
    Path overridesFile();

    /** The overrides layer's text as it is now, null when there is none: what {@link #restoreOverrides} puts back. */
    default String readOverrides() {
        Path file = overridesFile();
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Puts back an overrides layer {@link #readOverrides} returned (null: none). */
    void restoreOverrides(String previous);
}
