package org.trovej.common.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Swift's object API on one account ({@code <base>/v1/AUTH_<project>}) with one token: the subset a backup needs.
 * Bodies are streamed both ways; nothing is read whole into memory but small JSON answers. Every failure is a
 * {@link SwiftException}. The token goes only into the {@code X-Auth-Token} header, never into a message.
 */
public final class SwiftAccount {

    static final String META_PREFIX = "x-object-meta-";
    private static final int ERROR_BODY_LIMIT = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration requestTimeout;
    private final URI accountUrl;
    private final String token;

    SwiftAccount(HttpClient http, Duration requestTimeout, URI accountUrl, String token) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        String url = accountUrl.toString();
        this.accountUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.token = token;
    }

    public URI accountUrl() {
        return accountUrl;
    }

    /** The location ({@code <account>/<container>/<object>}) Trove records for an object. */
    public String location(String container, String object) {
        return objectUri(accountUrl, container, object, null).toString();
    }

    /** Creates the container unless it exists (Swift answers 201 or 202 to either). */
    public void ensureContainer(String container) {
        HttpRequest request = request(objectUri(accountUrl, container, null, null), requestTimeout)
                .PUT(HttpRequest.BodyPublishers.noBody()).build();
        expectSuccess(sendSmall(request, "PUT " + container), "PUT " + container);
    }

    /**
     * Uploads {@code body} as one object, streamed with chunked transfer encoding (never held in memory), with
     * {@code metadata} as {@code X-Object-Meta-<name>} headers. Answers the ETag (the MD5 hex of the bytes).
     * The stream is read to its end (or its failure) on the client's threads; an I/O error of the stream fails
     * the upload with that error as the cause.
     */
    public String put(String container, String object, InputStream body, Map<String, String> metadata) {
        String what = "PUT " + container + "/" + object;
        FailureKeepingStream source = new FailureKeepingStream(body);
        HttpRequest.Builder builder = request(objectUri(accountUrl, container, object, null), null)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> source));
        addMetadata(builder, metadata);
        HttpResponse<String> response;
        try {
            response = sendSmall(builder.build(), what);
        } catch (SwiftException e) {
            // the client reports a failed body as a broken connection: say what really broke
            if (source.failure != null) {
                throw new SwiftException(what + " failed: reading the body: " + source.failure.getMessage(),
                        source.failure);
            }
            throw e;
        }
        expectSuccess(response, what);
        return etag(response.headers());
    }

    /**
     * Stores a Static Large Object manifest at {@code object} over {@code segments} (in order). Swift checks each
     * segment's ETag and size. Answers the manifest's ETag as Swift gives it (the MD5 of the segments' ETags).
     */
    public String putManifest(String container, String object, List<SloSegment> segments,
                              Map<String, String> metadata) {
        String what = "PUT " + container + "/" + object + " (manifest)";
        HttpRequest.Builder builder = request(objectUri(accountUrl, container, object, "multipart-manifest=put"),
                requestTimeout)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifestJson(segments), StandardCharsets.UTF_8));
        addMetadata(builder, metadata);
        HttpResponse<String> response = sendSmall(builder.build(), what);
        expectSuccess(response, what);
        return etag(response.headers());
    }

    /**
     * Server-side copy of {@code source} (same container) to {@code object} with {@code metadata}: Swift's PUT with
     * {@code X-Copy-From} and an empty body, what Trove's guest does to give a one-segment backup its final name.
     * Answers the ETag of the new object.
     */
    public String copy(String container, String source, String object, Map<String, String> metadata) {
        String what = "PUT " + container + "/" + object + " (copy of " + source + ")";
        HttpRequest.Builder builder = request(objectUri(accountUrl, container, object, null), requestTimeout)
                .header("X-Copy-From", "/" + encode(container, false) + "/" + encode(source, true))
                .PUT(HttpRequest.BodyPublishers.noBody());
        addMetadata(builder, metadata);
        HttpResponse<String> response = sendSmall(builder.build(), what);
        expectSuccess(response, what);
        return etag(response.headers());
    }

    /** The object's bytes (for a manifest: its segments' in order), to be read and closed by the caller. */
    public InputStream get(String container, String object) {
        String what = "GET " + container + "/" + object;
        HttpRequest request = request(objectUri(accountUrl, container, object, null), requestTimeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new SwiftException(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwiftException(what + " was interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            String message;
            try (InputStream error = response.body()) {
                message = new String(error.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
            } catch (IOException e) {
                message = "";
            }
            throw failure(what, response.statusCode(), message);
        }
        return response.body();
    }

    /** What a HEAD says of the object; empty when there is none. */
    public Optional<ObjectInfo> head(String container, String object) {
        String what = "HEAD " + container + "/" + object;
        HttpRequest request = request(objectUri(accountUrl, container, object, null), requestTimeout)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = sendSmall(request, what);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expectSuccess(response, what);
        HttpHeaders headers = response.headers();
        Map<String, String> metadata = new LinkedHashMap<>();
        headers.map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(META_PREFIX) && !values.isEmpty()) {
                metadata.put(lower.substring(META_PREFIX.length()), values.get(0));
            }
        });
        boolean slo = headers.firstValue("X-Static-Large-Object").map(v -> v.equalsIgnoreCase("true"))
                .orElse(false);
        long length = headers.firstValueAsLong("Content-Length").orElse(-1);
        return Optional.of(new ObjectInfo(metadata, etag(headers), length, slo));
    }

    /**
     * Deletes the object; a Static Large Object manifest with its segments ({@code ?multipart-manifest=delete}).
     * An object that is not there is not an error.
     */
    public void delete(String container, String object) {
        Optional<ObjectInfo> info = head(container, object);
        if (info.isEmpty()) {
            return;
        }
        boolean slo = info.get().sloManifest();
        String what = "DELETE " + container + "/" + object;
        HttpRequest request = request(objectUri(accountUrl, container, object,
                slo ? "multipart-manifest=delete" : null), requestTimeout)
                .header("Accept", "application/json")
                .DELETE().build();
        HttpResponse<String> response = sendSmall(request, what);
        if (response.statusCode() == 404) {
            return;
        }
        expectSuccess(response, what);
        if (slo) {
            checkBulkDelete(what, response.body());
        }
    }

    /** The names of the container's objects that start with {@code prefix} (all of them, page by page). */
    public List<String> list(String container, String prefix) {
        String what = "GET " + container + "?prefix=" + prefix;
        List<String> names = new ArrayList<>();
        String marker = null;
        while (true) {
            StringBuilder query = new StringBuilder("format=json");
            if (prefix != null && !prefix.isEmpty()) {
                query.append("&prefix=").append(encode(prefix, false));
            }
            if (marker != null) {
                query.append("&marker=").append(encode(marker, false));
            }
            HttpRequest request = request(objectUri(accountUrl, container, null, query.toString()), requestTimeout)
                    .header("Accept", "application/json").GET().build();
            HttpResponse<String> response = sendSmall(request, what);
            if (response.statusCode() == 404 || response.statusCode() == 204) {
                return names;
            }
            expectSuccess(response, what);
            JsonNode page;
            try {
                page = JSON.readTree(response.body());
            } catch (IOException e) {
                throw new SwiftException(response.statusCode(), what + ": the listing is not JSON");
            }
            if (!page.isArray() || page.isEmpty()) {
                return names;
            }
            for (JsonNode entry : page) {
                names.add(entry.path("name").asText());
            }
            marker = names.get(names.size() - 1);
        }
    }

    /** A manifest's body: Swift's {@code [{"path", "etag", "size_bytes"}, ...]}. */
    static String manifestJson(List<SloSegment> segments) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a manifest needs at least one segment");
        }
        ArrayNode array = JSON.createArrayNode();
        for (SloSegment segment : segments) {
            array.addObject()
                    .put("path", segment.path())
                    .put("etag", segment.etag())
                    .put("size_bytes", segment.sizeBytes());
        }
        return array.toString();
    }

    /** {@code <account>/<container>[/<object>][?query]}, each part percent-encoded (an object keeps its slashes). */
    static URI objectUri(URI account, String container, String object, String query) {
        if (container == null || container.isEmpty() || container.contains("/")) {
            throw new IllegalArgumentException("not a container name: " + container);
        }
        StringBuilder url = new StringBuilder(account.toString()).append('/').append(encode(container, false));
        if (object != null) {
            if (object.isEmpty()) {
                throw new IllegalArgumentException("an object needs a name");
            }
            url.append('/').append(encode(object, true));
        }
        if (query != null) {
            url.append('?').append(query);
        }
        return URI.create(url.toString());
    }

    static String encode(String value, boolean keepSlashes) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || (keepSlashes && c == '/')) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        if (timeout != null) {
            builder.timeout(timeout);
        }
        if (token != null && !token.isEmpty()) {
            builder.header("X-Auth-Token", token);
        }
        return builder;
    }

    private static void addMetadata(HttpRequest.Builder builder, Map<String, String> metadata) {
        if (metadata == null) {
            return;
        }
        metadata.forEach((name, value) -> {
            if (value != null) {
                builder.header("X-Object-Meta-" + name, value);
            }
        });
    }

    private HttpResponse<String> sendSmall(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SwiftException(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwiftException(what + " was interrupted", e);
        }
    }

    private static void expectSuccess(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 != 2) {
            throw failure(what, response.statusCode(), response.body());
        }
    }

    private static SwiftException failure(String what, int status, String body) {
        String message = body == null ? "" : body.strip();
        if (message.length() > ERROR_BODY_LIMIT) {
            message = message.substring(0, ERROR_BODY_LIMIT);
        }
        return new SwiftException(status, what + ": HTTP " + status + (message.isEmpty() ? "" : ": " + message));
    }

    /** Swift answers a manifest delete 200 and says in the body whether every part went. */
    private static void checkBulkDelete(String what, String body) {
        if (body == null || body.isBlank()) {
            return;
        }
        JsonNode result;
        try {
            result = JSON.readTree(body);
        } catch (IOException e) {
            return; // a plain-text success body
        }
        String status = result.path("Response Status").asText("200 OK");
        if (!status.startsWith("2") && !status.startsWith("404")) {
            int code;
            try {
                code = Integer.parseInt(status.split(" ", 2)[0]);
            } catch (NumberFormatException e) {
                code = 500;
            }
            throw new SwiftException(code, what + ": " + status + " " + result.path("Errors"));
        }
    }

    private static String etag(HttpHeaders headers) {
        String etag = headers.firstValue("ETag").orElse(null);
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            etag = etag.substring(1, etag.length() - 1);
        }
        return etag;
    }

    /**
     * Keeps the first failure of an upload's body. The chunked body is then cut off without its last chunk, so the
     * store never takes a truncated object for a whole one.
     */
    private static final class FailureKeepingStream extends java.io.FilterInputStream {
        private volatile IOException failure;

        FailureKeepingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failure = failure == null ? e : failure;
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "SwiftAccount[" + accountUrl + "]";
    }
}
