package org.trovej.common.objectstore;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A backup's {@code location}: {@code <account URL>/<container>/<object>}, where the account URL is Swift's
 * {@code <base>/v1/AUTH_<project>} (Trove's {@code swift_url}). The account is found by its {@code /v1/<account>}
 * path segments, so a store mounted under a path prefix parses as well; the object name may hold slashes.
 */
public record ObjectLocation(URI accountUrl, String container, String object) {

    public ObjectLocation {
        if (accountUrl == null || container == null || container.isEmpty() || object == null || object.isEmpty()) {
            throw new IllegalArgumentException("a location has an account URL, a container and an object");
        }
    }

    public static ObjectLocation parse(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("no object location");
        }
        URI uri;
        try {
            uri = new URI(location.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + location);
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null || uri.getRawPath() == null) {
            throw new IllegalArgumentException("not an absolute URL: " + location);
        }
        String path = uri.getRawPath();
        int version = path.indexOf("/v1/");
        if (version < 0) {
            throw new IllegalArgumentException("no /v1/<account> in the location: " + location);
        }
        // <prefix>/v1/<account>/<container>/<object...>
        String[] rest = path.substring(version + 4).split("/", 3);
        if (rest.length < 3 || rest[0].isEmpty() || rest[1].isEmpty() || rest[2].isEmpty()) {
            throw new IllegalArgumentException("the location names no account, container and object: " + location);
        }
        String accountPath = path.substring(0, version + 4) + rest[0];
        URI account = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + accountPath);
        return new ObjectLocation(account, decode(rest[1]), decode(rest[2]));
    }

    /** The URL this location parses from. */
    public String toUrl() {
        return SwiftAccount.objectUri(accountUrl, container, object, null).toString();
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
