package org.trovej.service.objectstore;

import org.springframework.core.env.Environment;

/**
 * Where a guest reaches TroveJ's local object store: {@code trovej.object-store.url} when set, else the API of this
 * JVM (the API serves the store beside the REST API) at {@code http://<server.address or 127.0.0.1>:<port>}, read
 * when needed because the port may be chosen at start-up ({@code server.port=0}). A guest on its own loopback
 * address reaches 127.0.0.1. Shared by the task manager (backups) and the API (guest logs).
 */
public final class LocalStoreUrl {

    public static final String PROPERTY = "trovej.object-store.url";
    private static final String API_DEFAULT_PORT = "8779";

    private LocalStoreUrl() {
    }

    /** The store's base URL, no trailing slash; a project's account is {@code <base>/v1/AUTH_<project>}. */
    public static String base(Environment environment) {
        String configured = environment.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured.replaceAll("/+$", "");
        }
        String port = environment.getProperty("local.server.port",
                environment.getProperty("server.port", API_DEFAULT_PORT));
        String address = environment.getProperty("server.address");
        if (address == null || address.isBlank() || address.equals("0.0.0.0") || address.equals("::")
                || address.equals("[::]")) {
            address = "127.0.0.1";
        } else if (address.contains(":") && !address.startsWith("[")) {
            address = "[" + address + "]";
        }
        return "http://" + address + ":" + port;
    }

    /** The account URL of {@code project}, Trove's {@code swift_url}. */
    public static String account(Environment environment, String project) {
        return base(environment) + "/v1/AUTH_" + project;
    }
}
