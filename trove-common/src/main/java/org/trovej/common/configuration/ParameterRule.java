package org.trovej.common.configuration;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a datastore version accepts for one configuration parameter: a row of
 * {@code datastore_configuration_parameters}, as read from the engine itself.
 *
 * @param name            the engine's name of the parameter, lower case ({@code max_connections})
 * @param dataType        one of Trove's four type names: {@code integer}, {@code string}, {@code boolean},
 *                        {@code float}
 * @param min             the least value (integer and float), null when there is none; a string since bounds may
 *                        exceed 64 bits ({@code 18446744073709551615})
 * @param max             the greatest value, null when there is none
 * @param restartRequired true when a new value takes effect only after the server restarts
 * @param allowedValues   the permitted strings of an enum-like parameter, null when the value is free
 * @param defaultValue    the engine's built-in default as text, null when unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "data_type", "min_size", "max_size", "restart_required", "allowed_values",
        "default_value"})
public record ParameterRule(@JsonProperty("name") String name,
                            @JsonProperty("data_type") String dataType,
                            @JsonProperty("min_size") String min,
                            @JsonProperty("max_size") String max,
                            @JsonProperty("restart_required") boolean restartRequired,
                            @JsonProperty("allowed_values") List<String> allowedValues,
                            @JsonProperty("default_value") String defaultValue) {

    public static final String INTEGER = "integer";
    public static final String STRING = "string";
    public static final String BOOLEAN = "boolean";
    public static final String FLOAT = "float";
    /** Trove's type names, the only values of {@link #dataType}. */
    public static final Set<String> DATA_TYPES = Set.of(INTEGER, STRING, BOOLEAN, FLOAT);

    public ParameterRule {
        Objects.requireNonNull(name, "name");
        if (!DATA_TYPES.contains(dataType)) {
            throw new IllegalArgumentException("data type of " + name + " is '" + dataType + "', not one of "
                    + DATA_TYPES);
        }
        allowedValues = allowedValues == null ? null : List.copyOf(allowedValues);
    }
}
