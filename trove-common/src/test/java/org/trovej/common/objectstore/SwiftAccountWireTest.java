package org.trovej.common.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the client puts on the wire and how it reads Swift's answers, against the JDK's HTTP server playing a
 * minimal Swift that records every request (the real store is exercised by the end-to-end tests).
 */
class SwiftAccountWireTest {

    record Seen(String method, String uri, Headers headers, long bodyLength) {
    }

    private final List<Seen> seen = new ArrayList<>();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> metadata = new ConcurrentHashMap<>();
    private HttpServer server;
    private SwiftAccount account;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        account = new SwiftClient().account(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/v1/AUTH_p"), "tok-123");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        seen.add(new Seen(method, uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                exchange.getRequestHeaders(), body.length));
        String path = uri.getPath();
        if (!"tok-123".equals(exchange.getRequestHeaders().getFirst("X-Auth-Token"))) {
            reply(exchange, 401, "<html><h1>Unauthorized</h1></html>");
            return;
        }
        String[] parts = path.split("/", 5); // "", v1, AUTH_p, container, object
        if (parts.length < 5) {
            if (method.equals("PUT")) {
                reply(exchange, 201, "");
            } else {
                String names = objects.keySet().stream().filter(k -> k.startsWith(parts[3] + "/"))
                        .map(k -> k.substring(parts[3].length() + 1)).sorted()
                        .filter(n -> uri.getQuery() == null || !uri.getQuery().contains("marker"))
                        .map(n -> "{\"name\": \"" + n + "\"}").reduce((a, b) -> a + ", " + b).orElse("");
                reply(exchange, 200, "[" + names + "]");
            }
            return;
        }
        String key = parts[3] + "/" + parts[4];
        switch (method) {
            case "PUT" -> {
                objects.put(key, body);
                Map<String, String> meta = new ConcurrentHashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (name.toLowerCase().startsWith("x-object-meta-")) {
                        meta.put(name, values.get(0));
                    }
                });
                if ("multipart-manifest=put".equals(uri.getQuery())) {
                    meta.put("X-Static-Large-Object", "True");
                }
                metadata.put(key, meta);
                exchange.getResponseHeaders().add("ETag", md5(body));
                reply(exchange, 201, "");
            }
            case "HEAD" -> {
                if (!objects.containsKey(key)) {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                    return;
                }
                metadata.get(key).forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                exchange.getResponseHeaders().add("ETag", "\"" + md5(objects.get(key)) + "\"");
                // as Swift: the object's length, and no body
                exchange.getResponseHeaders().add("Content-Length", Integer.toString(objects.get(key).length));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            }
            case "GET" -> {
                if (!objects.containsKey(key)) {
                    reply(exchange, 404, "<html><h1>Not Found</h1></html>");
                    return;
                }
                exchange.sendResponseHeaders(200, objects.get(key).length);
                exchange.getResponseBody().write(objects.get(key));
                exchange.close();
            }
            case "DELETE" -> {
                boolean had = objects.remove(key) != null;
                reply(exchange, had ? 204 : 404, "");
            }
            default -> reply(exchange, 405, "");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Test
    void putStreamsChunkedWithMetadataAndAnswersTheEtag() throws Exception {
        byte[] data = new byte[300_000];
        new java.util.Random(1).nextBytes(data);
        // a stream of unknown length: no Content-Length can be sent
        InputStream body = new java.io.FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int available() {
                return 0;
            }
        };

        account.ensureContainer("database_backups");
        String etag = account.put("database_backups", "b1.tar.gz", body, Map.of("Sha256", "abc"));

        assertThat(etag).isEqualTo(md5(data));
        Seen put = seen().get(1);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.uri()).isEqualTo("/v1/AUTH_p/database_backups/b1.tar.gz");
        assertThat(put.headers().getFirst("Transfer-encoding")).isEqualToIgnoringCase("chunked");
        assertThat(put.headers().getFirst("X-Object-Meta-Sha256")).isEqualTo("abc");
        assertThat(put.bodyLength()).isEqualTo(data.length);
        try (InputStream in = account.get("database_backups", "b1.tar.gz")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void aSmallPutSendsItsLengthMetadataAndExtraHeaders() throws Exception {
        byte[] data = "line 1\nline 2\n".getBytes(StandardCharsets.UTF_8);

        String etag = account.put("database_logs", "i/postgresql-general/log-1", data, Map.of("Lines", "2"),
                Map.of("X-Delete-After", "2592000"));

        assertThat(etag).isEqualTo(md5(data));
        Seen put = seen().get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.uri()).isEqualTo("/v1/AUTH_p/database_logs/i/postgresql-general/log-1");
        assertThat(put.headers().getFirst("Content-Length")).isEqualTo(String.valueOf(data.length));
        assertThat(put.headers().getFirst("X-Object-Meta-Lines")).isEqualTo("2");
        assertThat(put.headers().getFirst("X-Delete-After")).isEqualTo("2592000");
        try (InputStream in = account.get("database_logs", "i/postgresql-general/log-1")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void headReadsMetadataLowerCasedWithoutPrefixAndTheUnquotedEtag() {
        account.put("c", "o", new ByteArrayInputStream("hello".getBytes()), Map.of("Datastore-Version", "15",
                "Md5", "x"));

        Optional<ObjectInfo> info = account.head("c", "o");

        assertThat(info).isPresent();
        assertThat(info.get().metadata()).containsEntry("datastore-version", "15").containsEntry("md5", "x");
        assertThat(info.get().meta("Datastore-Version")).isEqualTo("15");
        assertThat(info.get().etag()).isEqualTo(md5("hello".getBytes()));
        assertThat(info.get().sloManifest()).isFalse();
        assertThat(info.get().length()).isEqualTo(5);
        assertThat(account.head("c", "missing")).isEmpty();
    }

    @Test
    void aManifestIsPutAsSloAndDeletedWithItsSegments() {
        account.put("c", "b_00000001", new ByteArrayInputStream(new byte[10]), Map.of());
        account.putManifest("c", "b", List.of(SloSegment.of("c", "b_00000001", "e", 10)), Map.of("Md5", "m"));

        account.delete("c", "b");
        account.delete("c", "never-there");

        List<Seen> requests = seen();
        assertThat(requests.get(1).uri()).isEqualTo("/v1/AUTH_p/c/b?multipart-manifest=put");
        assertThat(requests).anySatisfy(r -> assertThat(r.method() + " " + r.uri())
                .isEqualTo("DELETE /v1/AUTH_p/c/b?multipart-manifest=delete"));
        assertThat(requests).noneSatisfy(r -> assertThat(r.method() + " " + r.uri())
                .isEqualTo("DELETE /v1/AUTH_p/c/never-there"));
    }

    @Test
    void listAnswersTheNamesUnderAPrefix() {
        account.put("c", "b1_00000001", new ByteArrayInputStream(new byte[1]), Map.of());
        account.put("c", "b1_00000002", new ByteArrayInputStream(new byte[1]), Map.of());

        assertThat(account.list("c", "b1_")).containsExactly("b1_00000001", "b1_00000002");
        assertThat(seen().get(2).uri()).isEqualTo("/v1/AUTH_p/c?format=json&prefix=b1_");
    }

    @Test
    void failuresCarryTheStatusAndTheServersMessageButNeverTheToken() {
        assertThatThrownBy(() -> account.get("c", "missing"))
                .isInstanceOfSatisfying(SwiftException.class, e -> {
                    assertThat(e.notFound()).isTrue();
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("GET c/missing").contains("Not Found");
                });
        SwiftAccount wrongToken = new SwiftClient().account(account.accountUrl(), "stolen-or-expired");
        assertThatThrownBy(() -> wrongToken.put("c", "o", new ByteArrayInputStream(new byte[5]), Map.of()))
                .isInstanceOfSatisfying(SwiftException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.notFound()).isFalse();
                    assertThat(e.getMessage()).doesNotContain("stolen-or-expired").contains("Unauthorized");
                });
    }

    @Test
    void aFailingBodyFailsTheUploadWithTheStreamsErrorAsCause() {
        InputStream failing = new InputStream() {
            private int left = 100_000;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    throw new IOException("tool died");
                }
                left--;
                return 1;
            }
        };

        assertThatThrownBy(() -> account.put("c", "o", failing, Map.of()))
                .isInstanceOf(SwiftException.class)
                .hasMessageContaining("reading the body: tool died")
                .satisfies(e -> assertThat(rootCauseMessages(e)).anyMatch(m -> m.equals("tool died")));
        assertThat(objects).as("a cut-off chunked body is not an object").doesNotContainKey("c/o");
    }

    private static List<String> rootCauseMessages(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }
}
