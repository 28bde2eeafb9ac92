package org.trovej.api.compute;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Nova's microversion negotiation, for the one version served: 2.1 (the shapes of the v2.1 base API, which is
 * all that Horizon, trove-dashboard and tempest's servers client need). A request may ask for it or for
 * {@code latest}, in either header novaclient sends; anything newer is Nova's 406, so that no client reads 2.1
 * bodies as a later version's. Every answer says which version it is, as Nova's do.
 */
class Microversions implements HandlerInterceptor {

    static final String VERSION = "2.1";
    private static final Pattern FORMAT = Pattern.compile("^([1-9]\\d*)\\.([1-9]\\d*|0)$");

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        response.setHeader("OpenStack-API-Version", "compute " + VERSION);
        response.setHeader("X-OpenStack-Nova-API-Version", VERSION);
        response.setHeader("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
        String requested = requested(request);
        if (requested != null && !requested.equalsIgnoreCase("latest")) {
            Matcher m = FORMAT.matcher(requested);
            if (!m.matches()) {
                throw ComputeException.badRequest("API Version String " + requested
                        + " is of invalid format. Must be of format MajorNum.MinorNum.");
            }
            if (!m.group(1).equals("2") || !(m.group(2).equals("1") || m.group(2).equals("0"))) {
                throw new ComputeException(406, "Version " + requested + " is not supported by the API. "
                        + "Minimum is " + VERSION + " and maximum is " + VERSION + ".");
            }
        }
        return true;
    }

    /** The newer header wins (as in Nova); it is {@code compute <version>}, possibly among other services'. */
    static String requested(HttpServletRequest request) {
        String standard = request.getHeader("OpenStack-API-Version");
        if (standard != null) {
            for (String entry : standard.split(",")) {
                String[] parts = entry.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equalsIgnoreCase("compute")) {
                    return parts[1];
                }
            }
        }
        String legacy = request.getHeader("X-OpenStack-Nova-API-Version");
        return legacy == null || legacy.isBlank() ? null : legacy.trim();
    }
}
