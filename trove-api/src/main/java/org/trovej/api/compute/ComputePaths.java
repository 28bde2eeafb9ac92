package org.trovej.api.compute;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.trovej.api.web.Link;
import org.trovej.api.web.Links;

/**
 * Where the compute API lives: {@code /compute} (versions) and {@code /compute/v2.1} (the API, no project in the
 * path: the form Keystone's catalog gets, as devstack registers Nova), and its links, made as Nova makes them
 * from the address the client used.
 */
final class ComputePaths {

    static final String ROOT = "/compute";
    static final String API = ROOT + "/v2.1";

    private ComputePaths() {
    }

    /** {@code http://host:port/compute}, with the request's scheme and Host header. */
    static String base(HttpServletRequest request) {
        return request.getScheme() + "://" + Links.host(request) + ROOT;
    }

    /** Nova's self (versioned) and bookmark (unversioned) links of one resource. */
    static List<Link> links(HttpServletRequest request, String collection, String id) {
        String base = base(request);
        return List.of(new Link(base + "/v2.1/" + collection + "/" + id, "self"),
                new Link(base + "/" + collection + "/" + id, "bookmark"));
    }
}
