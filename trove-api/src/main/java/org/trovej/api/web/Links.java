package org.trovej.api.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Trove's resource links for one request: always {@code https://}, the host the client addressed (Host header),
 * and the caller's project (not the resource owner's), whatever the request's own scheme.
 */
public record Links(String host, String projectId) {

    public List<Link> resource(String collection, String id) {
        return List.of(new Link("https://" + host + "/v1.0/" + projectId + "/" + collection + "/" + id, "self"),
                new Link("https://" + host + "/" + collection + "/" + id, "bookmark"));
    }

    public static Links of(HttpServletRequest request, String projectId) {
        return new Links(host(request), projectId);
    }

    /** WebOb's {@code request.host}: the Host header as sent, else server name and port (default port omitted). */
    public static String host(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host != null && !host.isEmpty()) {
            return host;
        }
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(request.getScheme()) && port == 80)
                || ("https".equals(request.getScheme()) && port == 443);
        return defaultPort ? request.getServerName() : request.getServerName() + ":" + port;
    }
}
