package org.trovej.common.objectstore;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The one HTTP client of Swift's object API, shared by every {@link SwiftAccount} it hands out (java.net.http
 * keeps its connections pooled). HTTP/1.1, so a body of unknown length goes chunked.
 *
 * <p>{@code requestTimeout} bounds every request that carries no streamed body and, for a download, the wait for
 * the response headers; an upload of a streamed body has no overall limit, since a 2 GiB segment takes as long
 * as its producer does.
 */
public final class SwiftClient {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http;
    private final Duration requestTimeout;

    public SwiftClient() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public SwiftClient(Duration connectTimeout, Duration requestTimeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /**
     * An account at {@code swiftUrl} ({@code <base>/v1/AUTH_<project>}), every request carrying {@code token} as
     * {@code X-Auth-Token} (null: none).
     */
    public SwiftAccount account(URI swiftUrl, String token) {
        return new SwiftAccount(http, requestTimeout, swiftUrl, token);
    }
}
