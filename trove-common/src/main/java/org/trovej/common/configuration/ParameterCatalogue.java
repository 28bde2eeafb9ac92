package org.trovej.common.configuration;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A datastore version family's configuration-parameter catalogue, as shipped in
 * {@code org/trovej/common/configuration/<family>.json}.
 *
 * @param engine        {@code postgresql} or {@code mariadb}
 * @param engineVersion the full version of the server it was read from ({@code 15.20})
 * @param source        what it was read from ({@code pg_settings}, {@code information_schema.SYSTEM_VARIABLES},
 *                      {@code postgres --describe-config})
 * @param parameters    the rules, by name
 * @param excluded      the parameters the engine has that are left out, with the reason of each, by name
 */
@JsonPropertyOrder({"engine", "engine_version", "source", "parameters", "excluded"})
public record ParameterCatalogue(@JsonProperty("engine") String engine,
                                 @JsonProperty("engine_version") String engineVersion,
                                 @JsonProperty("source") String source,
                                 @JsonProperty("parameters") List<ParameterRule> parameters,
                                 @JsonProperty("excluded") Map<String, String> excluded) {

    public ParameterCatalogue {
        MappedParameters sorted = new MappedParameters(parameters, excluded == null ? Map.of() : excluded);
        parameters = sorted.rules();
        excluded = sorted.excluded();
    }

    public ParameterCatalogue(String engine, String engineVersion, String source, MappedParameters mapped) {
        this(engine, engineVersion, source, mapped.rules(), mapped.excluded());
    }
}
