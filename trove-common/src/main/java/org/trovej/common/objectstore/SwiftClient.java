package org.trovej.common.objectstore;

import java.net.URI;
import java.time.Duration;

/**
 * Swift's object API over the JDK's {@code HttpURLConnection}, which keeps idle connections pooled per host (HTTP/1.1;
 * a body of unknown length goes chunked). Not java.net.http: measured in a guest agent (C1 only), its streamed
 * body cost ~1 CPU-second per 50 MB and 0.6 s of wall time at first use, on the path of every restore.
 *
 * <p>{@code requestTimeout} is the longest wait for an answer or, while a body streams, for its next bytes; an
 * upload or a download as a whole has no limit, since a 2 GiB segment takes as long as its producer does.
 */
public final class SwiftClient {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final Duration connectTimeout;
    private final Duration requestTimeout;

    public SwiftClient() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public SwiftClient(Duration connectTimeout, Duration requestTimeout) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    /**
     * An account at {@code swiftUrl} ({@code <base>/v1/AUTH_<project>}), every request carrying {@code token} as
     * {@code X-Auth-Token} (null: none).
     */
    public SwiftAccount account(URI swiftUrl, String token) {
        return new SwiftAccount(connectTimeout, requestTimeout, swiftUrl, token);
    }
}
