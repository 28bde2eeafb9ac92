package org.trovej.api.auth;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Operator overrides of Trove's default policy ({@link TrovePolicyDefaults}), as oslo.policy takes them:
 * <ul>
 *   <li>{@code trovej.policy.file}: a policy file in Trove's format (YAML or JSON, {@code "rule-name": "expression"});</li>
 *   <li>{@code trovej.policy.rules[rule-name]=expression}: single rules (these win over the file).</li>
 * </ul>
 */
@ConfigurationProperties(prefix = "trovej.policy")
public record PolicyProperties(String file, Map<String, String> rules) {

    public PolicyProperties {
        file = file == null || file.isBlank() ? null : file.trim();
        rules = rules == null ? Map.of() : Map.copyOf(rules);
    }
}
