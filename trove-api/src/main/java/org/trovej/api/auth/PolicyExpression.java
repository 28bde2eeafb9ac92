package org.trovej.api.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One oslo.policy rule, parsed: the language of Trove's policy.yaml. Supported:
 * <ul>
 *   <li>{@code ""} and {@code @}: always; {@code !}: never;</li>
 *   <li>{@code role:X}: the caller has role X (case-insensitive, as oslo.policy compares roles);</li>
 *   <li>{@code rule:NAME}: the named rule;</li>
 *   <li>{@code field:value}: a credential ({@code project_id}, {@code user_id}, {@code is_admin}) equals the value,
 *       where {@code %(key)s} in the value is taken from the target ({@code %(tenant)s}: the resource's project) and
 *       {@code True}/{@code False} are booleans;</li>
 *   <li>{@code not}, {@code and}, {@code or} (that precedence) and parentheses.</li>
 * </ul>
 * A rule that does not parse is refused when the policy is loaded, not treated as "never" at request time.
 */
public abstract sealed class PolicyExpression {

    /** What a check is judged on. */
    public record Request(Credentials credentials, Map<String, String> target, Function<String, Boolean> rule) {
    }

    /** The caller as the policy sees it (oslo's creds dict). */
    public record Credentials(String projectId, String userId, List<String> roles, boolean isAdmin) {

        public Credentials {
            roles = roles == null ? List.of() : roles.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList();
        }

        Object field(String name) {
            return switch (name) {
                case "project_id", "tenant", "tenant_id" -> projectId;
                case "user_id", "user" -> userId;
                case "is_admin" -> isAdmin;
                default -> null;
            };
        }
    }

    public abstract boolean check(Request request);

    public static PolicyExpression parse(String text) {
        List<String> tokens = tokens(text == null ? "" : text);
        if (tokens.isEmpty()) {
            return new Constant(true);
        }
        Parser parser = new Parser(text, tokens);
        PolicyExpression expression = parser.or();
        if (parser.position != tokens.size()) {
            throw parser.error("unexpected '" + tokens.get(parser.position) + "'");
        }
        return expression;
    }

    /** oslo.policy's tokenizer: whitespace separated, leading '(' and trailing ')' split off each word. */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            int start = 0;
            while (start < word.length() && word.charAt(start) == '(') {
                tokens.add("(");
                start++;
            }
            int end = word.length();
            int closing = 0;
            while (end > start && word.charAt(end - 1) == ')') {
                end--;
                closing++;
            }
            if (end > start) {
                tokens.add(word.substring(start, end));
            }
            for (int i = 0; i < closing; i++) {
                tokens.add(")");
            }
        }
        return tokens;
    }

    private static final class Parser {
        private final String text;
        private final List<String> tokens;
        private int position;

        Parser(String text, List<String> tokens) {
            this.text = text;
            this.tokens = tokens;
        }

        PolicyExpression or() {
            List<PolicyExpression> terms = new ArrayList<>(List.of(and()));
            while (accept("or")) {
                terms.add(and());
            }
            return terms.size() == 1 ? terms.get(0) : new Or(terms);
        }

        PolicyExpression and() {
            List<PolicyExpression> terms = new ArrayList<>(List.of(not()));
            while (accept("and")) {
                terms.add(not());
            }
            return terms.size() == 1 ? terms.get(0) : new And(terms);
        }

        PolicyExpression not() {
            if (accept("not")) {
                return new Not(not());
            }
            return atom();
        }

        PolicyExpression atom() {
            if (position >= tokens.size()) {
                throw error("a check is missing at the end");
            }
            String token = tokens.get(position++);
            if (token.equals("(")) {
                PolicyExpression inner = or();
                if (!accept(")")) {
                    throw error("')' is missing");
                }
                return inner;
            }
            if (token.equals(")") || isKeyword(token)) {
                throw error("unexpected '" + token + "'");
            }
            return check(token);
        }

        private PolicyExpression check(String token) {
            if (token.equals("@")) {
                return new Constant(true);
            }
            if (token.equals("!")) {
                return new Constant(false);
            }
            int colon = token.indexOf(':');
            if (colon <= 0 || colon == token.length() - 1) {
                throw error("'" + token + "' is not a check (role:X, rule:X, field:value, @ or !)");
            }
            String kind = token.substring(0, colon);
            String match = token.substring(colon + 1);
            return switch (kind) {
                case "role" -> new Role(match.toLowerCase(Locale.ROOT));
                case "rule" -> new RuleReference(match);
                default -> new Generic(kind, match);
            };
        }

        private boolean accept(String token) {
            if (position < tokens.size() && tokens.get(position).equalsIgnoreCase(token)) {
                position++;
                return true;
            }
            return false;
        }

        private static boolean isKeyword(String token) {
            return token.equalsIgnoreCase("and") || token.equalsIgnoreCase("or") || token.equalsIgnoreCase("not");
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("policy rule \"" + text + "\": " + what);
        }
    }

    static final class Constant extends PolicyExpression {
        private final boolean value;

        Constant(boolean value) {
            this.value = value;
        }

        @Override
        public boolean check(Request request) {
            return value;
        }

        @Override
        public String toString() {
            return value ? "@" : "!";
        }
    }

    static final class Role extends PolicyExpression {
        private final String role;

        Role(String role) {
            this.role = role;
        }

        @Override
        public boolean check(Request request) {
            return request.credentials().roles().contains(role);
        }

        @Override
        public String toString() {
            return "role:" + role;
        }
    }

    static final class RuleReference extends PolicyExpression {
        private final String name;

        RuleReference(String name) {
            this.name = name;
        }

        String name() {
            return name;
        }

        @Override
        public boolean check(Request request) {
            return request.rule().apply(name);
        }

        @Override
        public String toString() {
            return "rule:" + name;
        }
    }

    /** {@code field:value} as oslo's GenericCheck: the value may name target keys as {@code %(key)s}. */
    static final class Generic extends PolicyExpression {
        private final String field;
        private final String match;

        Generic(String field, String match) {
            this.field = field;
            this.match = match;
        }

        @Override
        public boolean check(Request request) {
            String expected = substitute(match, request.target());
            if (expected == null) {
                return false; // oslo: a target key that is missing fails the check
            }
            Object actual = request.credentials().field(field);
            if (actual instanceof Boolean b) {
                return expected.equals(b ? "True" : "False");
            }
            return actual != null && actual.toString().equals(expected);
        }

        private static String substitute(String match, Map<String, String> target) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < match.length()) {
                int start = match.indexOf("%(", i);
                if (start < 0) {
                    out.append(match, i, match.length());
                    break;
                }
                int end = match.indexOf(")s", start);
                if (end < 0) {
                    out.append(match, i, match.length());
                    break;
                }
                out.append(match, i, start);
                String value = target.get(match.substring(start + 2, end));
                if (value == null) {
                    return null;
                }
                out.append(value);
                i = end + 2;
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return field + ":" + match;
        }
    }

    static final class Not extends PolicyExpression {
        private final PolicyExpression inner;

        Not(PolicyExpression inner) {
            this.inner = inner;
        }

        @Override
        public boolean check(Request request) {
            return !inner.check(request);
        }

        @Override
        public String toString() {
            return "not " + inner;
        }
    }

    static final class And extends PolicyExpression {
        private final List<PolicyExpression> terms;

        And(List<PolicyExpression> terms) {
            this.terms = List.copyOf(terms);
        }

        @Override
        public boolean check(Request request) {
            return terms.stream().allMatch(t -> t.check(request));
        }

        @Override
        public String toString() {
            return "(" + String.join(" and ", terms.stream().map(Object::toString).toList()) + ")";
        }
    }

    static final class Or extends PolicyExpression {
        private final List<PolicyExpression> terms;

        Or(List<PolicyExpression> terms) {
            this.terms = List.copyOf(terms);
        }

        @Override
        public boolean check(Request request) {
            return terms.stream().anyMatch(t -> t.check(request));
        }

        @Override
        public String toString() {
            return "(" + String.join(" or ", terms.stream().map(Object::toString).toList()) + ")";
        }
    }
}
