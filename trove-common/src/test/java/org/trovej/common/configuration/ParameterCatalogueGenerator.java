package org.trovej.common.configuration;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a shipped parameter catalogue from a running engine:
 * {@code ParameterCatalogueGenerator <postgres|mariadb> <jdbc-url> <user> <out.json>} (a password, if needed, in
 * {@code TROVEJ_CATALOGUE_PASSWORD}). The file is deterministic: parameters and exclusions by name,
 * pretty-printed. {@code scripts/generate-parameter-catalogues} runs it against the local engines.
 *
 * <p>It lives in trove-common's test sources: it needs the mapping (trove-common) and the JDBC drivers, and
 * trove-test-support, which has the drivers, is itself a test dependency of trove-common.
 */
public final class ParameterCatalogueGenerator {

    private ParameterCatalogueGenerator() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ParameterCatalogueGenerator <postgres|mariadb> <jdbc-url> <user> <out.json>");
            System.exit(2);
        }
        ParameterCatalogue catalogue = EngineCatalogueReader.read(args[0], args[1], args[2],
                System.getenv("TROVEJ_CATALOGUE_PASSWORD"));
        Path out = Path.of(args[3]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, ParameterCatalogues.toJson(catalogue));
        System.out.println(out + ": " + catalogue.engine() + " " + catalogue.engineVersion() + ", "
                + catalogue.parameters().size() + " parameters, " + catalogue.excluded().size() + " excluded");
    }
}
