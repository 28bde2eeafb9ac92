package org.trovej.common.configuration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an engine reports, mapped: the rules of the parameters a tenant may set (ordered by name), and the
 * parameters left out with the reason of each (ordered by name).
 */
public record MappedParameters(List<ParameterRule> rules, Map<String, String> excluded) {

    public MappedParameters {
        List<ParameterRule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparing(ParameterRule::name));
        rules = List.copyOf(sorted);
        excluded = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(excluded));
    }
}
