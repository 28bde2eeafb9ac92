package org.trovej.api.compute;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.trovej.api.instance.Instance;

/**
 * The list filters of Nova's {@code GET /servers} that TroveJ's clients send: {@code all_tenants} (with
 * {@code project_id}/{@code tenant_id}), {@code name} (a regular expression searched in the name, as Nova's
 * database filter), {@code status}, and the page ({@code marker}: the last server id seen, {@code limit}).
 * Other filters are ignored, as Nova ignores those it does not know.
 */
record ServerFilter(boolean allTenants, String project, Pattern name, String status, String marker,
                    Integer limit) {

    private static final List<String> TRUE = List.of("1", "t", "true", "on", "y", "yes");
    private static final List<String> FALSE = List.of("0", "f", "false", "off", "n", "no");

    static ServerFilter of(Map<String, String> query) {
        String project = query.get("project_id") != null ? query.get("project_id") : query.get("tenant_id");
        return new ServerFilter(allTenants(query), project, name(query.get("name")), query.get("status"),
                query.get("marker"), limit(query.get("limit")));
    }

    /** Nova's {@code is_all_tenants}: present and empty is true, otherwise a strict boolean. */
    private static boolean allTenants(Map<String, String> query) {
        if (!query.containsKey("all_tenants")) {
            return false;
        }
        String value = query.get("all_tenants").trim().toLowerCase();
        if (value.isEmpty() || TRUE.contains(value)) {
            return true;
        }
        if (FALSE.contains(value)) {
            return false;
        }
        throw ComputeException.badRequest("Unrecognized value '" + query.get("all_tenants")
                + "', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'");
    }

    private static Pattern name(String name) {
        if (name == null) {
            return null;
        }
        try {
            return Pattern.compile(name);
        } catch (PatternSyntaxException e) {
            return Pattern.compile(Pattern.quote(name));
        }
    }

    private static Integer limit(String limit) {
        if (limit == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ComputeException.badRequest("limit param must be an integer");
    }

    /** The servers this filter keeps, then the page after the marker. */
    List<Instance> page(List<Instance> servers) {
        List<Instance> kept = servers.stream()
                .filter(i -> name == null || (i.getName() != null && name.matcher(i.getName()).find()))
                .filter(i -> status == null || status.equalsIgnoreCase(ServerViews.status(i)))
                .toList();
        if (marker != null) {
            int at = -1;
            for (int n = 0; n < kept.size(); n++) {
                if (marker.equals(kept.get(n).getComputeInstanceId())) {
                    at = n;
                    break;
                }
            }
            if (at < 0) {
                throw ComputeException.badRequest("marker [" + marker + "] not found");
            }
            kept = kept.subList(at + 1, kept.size());
        }
        return limit == null || limit >= kept.size() ? kept : kept.subList(0, limit);
    }
}
