package org.trovej.api.auth;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.trovej.api.error.ApiException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Trove's policy enforcement (oslo.policy with Trove's registered defaults, {@link TrovePolicyDefaults}), with the
 * operator's overrides ({@link PolicyProperties}). Every endpoint checks its rule by name, with the project that
 * owns the resource as the target ({@code %(tenant)s}; the caller's own project for collections):
 *
 * <pre>policy.enforce(caller, "instance:extension:user:create", instance.getTenantId());</pre>
 *
 * A refusal is Trove's PolicyNotAuthorized: 403 {@code forbidden}, "Policy doesn't allow RULE to be performed.".
 * Rules are parsed once, at start-up; a rule that does not parse or names a rule that does not exist stops the
 * start-up.
 */
@Component
public class Policy {

    private static final Logger log = LoggerFactory.getLogger(Policy.class);

    private final Map<String, PolicyExpression> rules;

    /** Trove's defaults only. */
    public Policy() {
        this(new PolicyProperties(null, null));
    }

    @Autowired
    public Policy(PolicyProperties properties) {
        Map<String, String> texts = new LinkedHashMap<>(TrovePolicyDefaults.rules());
        Map<String, String> overrides = new LinkedHashMap<>();
        if (properties.file() != null) {
            overrides.putAll(readFile(Path.of(properties.file())));
        }
        overrides.putAll(properties.rules());
        texts.putAll(overrides);
        Map<String, PolicyExpression> parsed = new LinkedHashMap<>();
        texts.forEach((name, text) -> parsed.put(name, PolicyExpression.parse(text)));
        this.rules = Map.copyOf(parsed);
        texts.forEach((name, text) -> checkReferences(name, text));
        if (!overrides.isEmpty()) {
            log.info("Policy: {} rule(s) overridden: {}", overrides.size(), overrides.keySet());
        }
    }

    /**
     * Refuses with 403 unless the rule allows the caller to act on a resource of {@code targetProject}.
     *
     * @param targetProject the project owning the resource, or the caller's own project for collections
     */
    public void enforce(AuthContext caller, String rule, String targetProject) {
        if (!check(caller, rule, targetProject)) {
            throw ApiException.forbidden("Policy doesn't allow " + rule + " to be performed.");
        }
    }

    /** The same as {@link #enforce}: the name the first endpoints used. */
    public void authorize(AuthContext caller, String rule, String targetProject) {
        enforce(caller, rule, targetProject);
    }

    /** Whether the rule allows it, without refusing (for views that show more to some callers). */
    public boolean check(AuthContext caller, String rule, String targetProject) {
        PolicyExpression.Credentials credentials = new PolicyExpression.Credentials(caller.projectId(),
                caller.userId(), caller.roles(), caller.admin());
        Map<String, String> target = targetProject == null ? Map.of() : Map.of("tenant", targetProject,
                "project_id", targetProject);
        return evaluate(rule, credentials, target, new HashSet<>());
    }

    /** Trove's {@code context_is_admin}: whether a caller with these roles is an admin. */
    public boolean isAdmin(String projectId, String userId, List<String> roles) {
        return evaluate("context_is_admin", new PolicyExpression.Credentials(projectId, userId, roles, false),
                Map.of(), new HashSet<>());
    }

    /** The rule's expression as loaded (defaults plus overrides). */
    public String describe(String rule) {
        PolicyExpression expression = rules.get(rule);
        return expression == null ? null : expression.toString();
    }

    private boolean evaluate(String rule, PolicyExpression.Credentials credentials, Map<String, String> target,
                             Set<String> evaluating) {
        PolicyExpression expression = rules.get(rule);
        if (expression == null) {
            expression = rules.get("default"); // oslo.policy: an unregistered rule is judged by "default"
            if (expression == null) {
                return false;
            }
        }
        if (!evaluating.add(rule)) {
            throw new IllegalStateException("policy rule " + rule + " refers to itself");
        }
        try {
            return expression.check(new PolicyExpression.Request(credentials, target,
                    name -> rules.containsKey(name) && evaluate(name, credentials, target, evaluating)));
        } finally {
            evaluating.remove(rule);
        }
    }

    private void checkReferences(String name, String text) {
        for (String token : PolicyExpression.tokens(text)) {
            if (token.startsWith("rule:") && !rules.containsKey(token.substring(5))) {
                throw new IllegalArgumentException("policy rule " + name + " (\"" + text + "\") refers to "
                        + token + ", which is not defined");
            }
        }
    }

    private static Map<String, String> readFile(Path file) {
        Object loaded;
        try (Reader reader = Files.newBufferedReader(file)) {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("trovej.policy.file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (loaded == null) {
            return Map.of();
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("trovej.policy.file " + file + " is not a map of rule names to rules");
        }
        Map<String, String> rules = new LinkedHashMap<>();
        map.forEach((k, v) -> rules.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return rules;
    }
}
