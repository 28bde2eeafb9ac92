package org.trovej.api.versions;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.ApiProperties;

/**
 * {@code /}: the versions document, without authentication. Trove connects this route with no method
 * condition, so every verb gets the document (only unknown paths are 404).
 */
@RestController
public class VersionsController {

    static final String V1_ID = "v1.0";
    static final String V1_UPDATED = "2012-08-01T00:00:00Z";

    private final ApiProperties properties;

    public VersionsController(ApiProperties properties) {
        this.properties = properties;
    }

    @RequestMapping("/")
    public VersionsDocument index(HttpServletRequest request) {
        String base = properties.publicEndpoint() == null || properties.publicEndpoint().isBlank()
                ? applicationUrl(request) : properties.publicEndpoint();
        return new VersionsDocument(List.of(new VersionsDocument.Version(V1_ID, "CURRENT", V1_UPDATED,
                List.of(new VersionsDocument.Link("self", versionUrl(base, V1_ID))))));
    }

    /** os.path.join(base, id) plus a trailing slash, as Trove's BaseVersion.url() builds it. */
    static String versionUrl(String base, String id) {
        String url = base.endsWith("/") ? base + id : base + "/" + id;
        return url.endsWith("/") ? url : url + "/";
    }

    /**
     * WebOb's {@code request.application_url}: the scheme as received, the Host header as sent (its default
     * port dropped), else the server name and port; then the context path. Unlike resource links, Trove does
     * not force https here.
     */
    static String applicationUrl(HttpServletRequest request) {
        String scheme = request.getScheme();
        String host = request.getHeader("Host");
        String port;
        if (host != null && !host.isEmpty()) {
            int colon = host.lastIndexOf(':');
            if (colon >= 0 && !host.endsWith("]")) {
                port = host.substring(colon + 1);
                host = host.substring(0, colon);
            } else {
                port = null;
            }
        } else {
            host = request.getServerName();
            port = String.valueOf(request.getServerPort());
        }
        if (("https".equals(scheme) && "443".equals(port)) || ("http".equals(scheme) && "80".equals(port))) {
            port = null;
        }
        StringBuilder url = new StringBuilder(scheme).append("://").append(host);
        if (port != null && !port.isEmpty()) {
            url.append(':').append(port);
        }
        return url.append(request.getContextPath()).toString();
    }
}
