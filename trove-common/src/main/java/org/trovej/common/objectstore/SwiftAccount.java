package org.trovej.common.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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

    private static final int UPLOAD_CHUNK = 256 * 1024;

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final URI accountUrl;
    private final String token;

    SwiftAccount(Duration connectTimeout, Duration requestTimeout, URI accountUrl, String token) {
        this.connectTimeout = connectTimeout;
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
        String what = "PUT " + container;
        expectSuccess(send(open(objectUri(accountUrl, container, null, null), "PUT", Map.of()), new byte[0], what), what);
    }

    /**
     * Uploads {@code body} as one object, streamed with chunked transfer encoding (never held in memory), with
     * {@code metadata} as {@code X-Object-Meta-<name>} headers. Answers the ETag (the MD5 hex of the bytes).
     * The stream is read to its end (or its failure) on the client's threads; an I/O error of the stream fails
     * the upload with that error as the cause.
     */
    public String put(String container, String object, InputStream body, Map<String, String> metadata) {
        String what = "PUT " + container + "/" + object;
        HttpURLConnection connection = open(objectUri(accountUrl, container, object, null), "PUT",
                withMetadata(Map.of("Content-Type", "application/octet-stream"), metadata));
        connection.setDoOutput(true);
        connection.setChunkedStreamingMode(UPLOAD_CHUNK);
        OutputStream out;
        try {
            out = connection.getOutputStream();
        } catch (IOException e) {
            connection.disconnect();
            throw new SwiftException(what + " failed: " + e, e);
        }
        byte[] buffer = new byte[UPLOAD_CHUNK];
        while (true) {
            int n;
            try {
                n = body.read(buffer);
            } catch (IOException | RuntimeException e) {
                // the connection is dropped before the last chunk: the store never takes a truncated object for a
                // whole one
                connection.disconnect();
                throw new SwiftException(what + " failed: reading the body: " + e.getMessage(), e);
            }
            if (n < 0) {
                break;
            }
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                // the store may have answered early (a quota, a token refused): its answer says more than the pipe
                Reply early = earlyReply(connection);
                connection.disconnect();
                if (early != null) {
                    throw failure(what, early);
                }
                throw new SwiftException(what + " failed: " + e, e);
            }
        }
        Reply reply;
        try {
            out.close();
            reply = exchange(connection, what);
        } catch (IOException e) {
            connection.disconnect();
            throw new SwiftException(what + " failed: " + e, e);
        }
        expectSuccess(reply, what);
        return reply.etag();
    }

    /**
     * Uploads a small object held in memory ({@code Content-Length}, not chunked) with {@code metadata} as
     * {@code X-Object-Meta-<name>} headers and {@code headers} as they are (e.g. {@code X-Delete-After}, which
     * Trove's guest sends with each published log component). Answers the ETag.
     */
    public String put(String container, String object, byte[] body, Map<String, String> metadata,
                      Map<String, String> headers) {
        String what = "PUT " + container + "/" + object;
        Map<String, String> all = new LinkedHashMap<>(Map.of("Content-Type", "application/octet-stream"));
        if (headers != null) {
            all.putAll(headers);
        }
        Reply reply = send(open(objectUri(accountUrl, container, object, null), "PUT", withMetadata(all, metadata)),
                body, what);
        expectSuccess(reply, what);
        return reply.etag();
    }

    /**
     * Stores a Static Large Object manifest at {@code object} over {@code segments} (in order). Swift checks each
     * segment's ETag and size. Answers the manifest's ETag as Swift gives it (the MD5 of the segments' ETags).
     */
    public String putManifest(String container, String object, List<SloSegment> segments,
                              Map<String, String> metadata) {
        String what = "PUT " + container + "/" + object + " (manifest)";
        HttpURLConnection connection = open(objectUri(accountUrl, container, object, "multipart-manifest=put"), "PUT",
                withMetadata(Map.of("Content-Type", "application/json"), metadata));
        Reply reply = send(connection, manifestJson(segments).getBytes(StandardCharsets.UTF_8), what);
        expectSuccess(reply, what);
        return reply.etag();
    }

    /**
     * Server-side copy of {@code source} (same container) to {@code object} with {@code metadata}: Swift's PUT with
     * {@code X-Copy-From} and an empty body, what Trove's guest does to give a one-segment backup its final name.
     * Answers the ETag of the new object.
     */
    public String copy(String container, String source, String object, Map<String, String> metadata) {
        String what = "PUT " + container + "/" + object + " (copy of " + source + ")";
        HttpURLConnection connection = open(objectUri(accountUrl, container, object, null), "PUT",
                withMetadata(Map.of("X-Copy-From", "/" + encode(container, false) + "/" + encode(source, true)),
                        metadata));
        Reply reply = send(connection, new byte[0], what);
        expectSuccess(reply, what);
        return reply.etag();
    }

    /** The object's bytes (for a manifest: its segments' in order), to be read and closed by the caller. */
    public InputStream get(String container, String object) {
        String what = "GET " + container + "/" + object;
        HttpURLConnection connection = open(objectUri(accountUrl, container, object, null), "GET", Map.of());
        int status;
        try {
            status = connection.getResponseCode();
        } catch (IOException e) {
            connection.disconnect();
            throw new SwiftException(what + " failed: " + e, e);
        }
        if (status / 100 != 2) {
            Reply reply = exchange(connection, what);
            throw failure(what, reply);
        }
        try {
            return connection.getInputStream();
        } catch (IOException e) {
            connection.disconnect();
            throw new SwiftException(what + " failed: " + e, e);
        }
    }

    /** What a HEAD says of the object; empty when there is none. */
    public Optional<ObjectInfo> head(String container, String object) {
        String what = "HEAD " + container + "/" + object;
        Reply reply = exchange(open(objectUri(accountUrl, container, object, null), "HEAD", Map.of()), what);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        expectSuccess(reply, what);
        Map<String, String> metadata = new LinkedHashMap<>();
        reply.headers().forEach((name, value) -> {
            if (name.startsWith(META_PREFIX)) {
                metadata.put(name.substring(META_PREFIX.length()), value);
            }
        });
        boolean slo = "true".equalsIgnoreCase(reply.header("X-Static-Large-Object"));
        long length;
        try {
            length = reply.header("Content-Length") == null ? -1 : Long.parseLong(reply.header("Content-Length"));
        } catch (NumberFormatException e) {
            length = -1;
        }
        return Optional.of(new ObjectInfo(metadata, reply.etag(), length, slo));
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
        Reply reply = exchange(open(objectUri(accountUrl, container, object, slo ? "multipart-manifest=delete" : null),
                "DELETE", Map.of("Accept", "application/json")), what);
        if (reply.status() == 404) {
            return;
        }
        expectSuccess(reply, what);
        if (slo) {
            checkBulkDelete(what, reply.body());
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
            Reply reply = exchange(open(objectUri(accountUrl, container, null, query.toString()), "GET",
                    Map.of("Accept", "application/json")), what);
            if (reply.status() == 404 || reply.status() == 204) {
                return names;
            }
            expectSuccess(reply, what);
            JsonNode page;
            try {
                page = JSON.readTree(reply.body());
            } catch (IOException e) {
                throw new SwiftException(reply.status(), what + ": the listing is not JSON");
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

    /** A request ready to send: the token and {@code headers} set, nothing sent yet. */
    private HttpURLConnection open(URI uri, String method, Map<String, String> headers) {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setRequestMethod(method);
        } catch (IOException | IllegalArgumentException e) {
            throw new SwiftException(method + " " + uri + " failed: " + e, e);
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        // for a download or an upload: the longest wait for the next bytes or for the answer
        connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()));
        if (token != null && !token.isEmpty()) {
            connection.setRequestProperty("X-Auth-Token", token);
        }
        headers.forEach(connection::setRequestProperty);
        return connection;
    }

    private static Map<String, String> withMetadata(Map<String, String> headers, Map<String, String> metadata) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (metadata != null) {
            metadata.forEach((name, value) -> {
                if (value != null) {
                    all.put("X-Object-Meta-" + name, value);
                }
            });
        }
        return all;
    }

    /** Sends a small body whole ({@code Content-Length}, also 0: Swift wants a length on every PUT) and answers. */
    private Reply send(HttpURLConnection connection, byte[] body, String what) {
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        } catch (IOException e) {
            connection.disconnect();
            throw new SwiftException(what + " failed: " + e, e);
        }
        return exchange(connection, what);
    }

    /** The answer, its body read whole (bounded for an error) so that the connection goes back to the pool. */
    private Reply exchange(HttpURLConnection connection, String what) {
        try {
            int status = connection.getResponseCode();
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String body = "";
            if (stream != null) {
                try (InputStream in = stream) {
                    body = new String(status / 100 == 2 ? in.readAllBytes() : in.readNBytes(ERROR_BODY_LIMIT),
                            StandardCharsets.UTF_8);
                }
            }
            return new Reply(status, reason(connection), headers(connection), body);
        } catch (IOException e) {
            connection.disconnect();
            throw new SwiftException(what + " failed: " + e, e);
        }
    }

    /** The store's answer to an upload it cut short, if it gave one. */
    private Reply earlyReply(HttpURLConnection connection) {
        try {
            int status = connection.getResponseCode();
            InputStream error = connection.getErrorStream();
            String body = "";
            if (error != null) {
                try (InputStream in = error) {
                    body = new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
                }
            }
            return status / 100 == 2 ? null : new Reply(status, reason(connection), headers(connection), body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String reason(HttpURLConnection connection) {
        try {
            return connection.getResponseMessage();
        } catch (IOException e) {
            return null;
        }
    }

    /** The response headers, names lower-cased, first value of each. */
    private static Map<String, String> headers(HttpURLConnection connection) {
        Map<String, String> headers = new TreeMap<>();
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null && values != null && !values.isEmpty()) {
                headers.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return headers;
    }

    /** A response: status, headers (lower-cased names), body (an error's bounded). */
    private record Reply(int status, String reason, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The ETag without its quotes. */
        String etag() {
            String etag = header("ETag");
            if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
                etag = etag.substring(1, etag.length() - 1);
            }
            return etag;
        }
    }

    private static void expectSuccess(Reply reply, String what) {
        if (reply.status() / 100 != 2) {
            throw failure(what, reply);
        }
    }

    /** "HTTP 401 Unauthorized: &lt;the store's words&gt;" (the reason phrase also when the body could not be read). */
    private static SwiftException failure(String what, Reply reply) {
        String message = reply.body() == null ? "" : reply.body().strip();
        if (message.length() > ERROR_BODY_LIMIT) {
            message = message.substring(0, ERROR_BODY_LIMIT);
        }
        String reason = reply.reason() == null || reply.reason().isBlank() ? "" : " " + reply.reason().strip();
        return new SwiftException(reply.status(), what + ": HTTP " + reply.status() + reason
                + (message.isEmpty() ? "" : ": " + message));
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

    @Override
    public String toString() {
        return "SwiftAccount[" + accountUrl + "]";
    }
}
