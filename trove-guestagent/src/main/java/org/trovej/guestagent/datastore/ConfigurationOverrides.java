package org.trovej.guestagent.datastore;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How an engine takes a configuration group's values beyond writing them into its overrides layer
 * ({@link EngineConfiguration#writeOverrides}): what it can check of a written layer without a restart, and how
 * values take effect at runtime. {@link DatastoreManager} writes the layer, keeps the previous one and puts it back
 * when the engine refuses a value.
 */
public interface ConfigurationOverrides {

    /**
     * The layer with {@code overrides} has just been written (and is not applied yet): refuses, with
     * {@link ConfigurationRefused}, a value the engine would not accept at its next start or reload. The caller
     * then puts the previous layer back.
     *
     * @param running whether the server runs (some checks ask it)
     */
    void checkWritten(ObjectNode overrides, boolean running);

    /**
     * Makes {@code values} take effect in the running server without a restart. On a refusal it undoes what it
     * changed, runs {@code restoreLayer} (which puts back the layer the last {@code update_overrides} replaced, or
     * does nothing) where the engine reads the values from the layer, and throws {@link ConfigurationRefused}.
     */
    void apply(ObjectNode values, Runnable restoreLayer);
}
