package org.trovej.taskmanager.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.trovej.common.json.PythonJson;
import org.trovej.service.objectstore.StoreTokens;

/**
 * The part of Swift's object API a backup delete uses (HEAD, DELETE with {@code ?multipart-manifest=delete}, and
 * container listings by prefix), over real HTTP, checking every request's {@code X-Auth-Token} with
 * {@link StoreTokens} as TroveJ's object store does: a request outside the token's grant is refused 401. The object
 * store itself is built beside the API; this keeps the task manager's tests free of the API.
 */
final class SwiftStandIn implements AutoCloseable {

    /** An object: its bytes' length, or a manifest's segments (paths {@code <container>/<object>}). */
    private record Stored(int length, List<String> segments) {
    }

    private final HttpServer server;
    private final Map<String, Stored> objects = new ConcurrentSkipListMap<>();
    private volatile StoreTokens tokens;
    private volatile boolean broken;

    SwiftStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void checkTokensWith(StoreTokens tokens) {
        this.tokens = tokens;
    }

    /** From now on every request is answered 500, as a store with a failing disk would. */
    void breakDown(boolean broken) {
        this.broken = broken;
    }

    void putObject(String project, String container, String object, int length) {
        objects.put(key(project, container, object), new Stored(length, List.of()));
    }

    void putManifest(String project, String container, String object, List<String> segmentObjects) {
        objects.put(key(project, container, object), new Stored(0,
                segmentObjects.stream().map(s -> container + "/" + s).toList()));
    }

    boolean has(String project, String container, String object) {
        return objects.containsKey(key(project, container, object));
    }

    List<String> objectsOf(String project, String container) {
        String prefix = key(project, container, "");
        return objects.keySet().stream().filter(k -> k.startsWith(prefix)).map(k -> k.substring(prefix.length()))
                .toList();
    }

    private static String key(String project, String container, String object) {
        return project + "/" + container + "/" + object;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (broken) {
                reply(exchange, 500, "disk on fire");
                return;
            }
            // /v1/AUTH_<project>/<container>[/<object>]
            String[] path = exchange.getRequestURI().getRawPath().substring("/v1/".length()).split("/", 3);
            if (path.length < 2 || !path[0].startsWith("AUTH_")) {
                reply(exchange, 400, "bad path");
                return;
            }
            String project = path[0].substring("AUTH_".length());
            String container = decode(path[1]);
            String object = path.length == 3 ? decode(path[2]) : null;
            String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
            Optional<StoreTokens.StoreGrant> grant = tokens.verify(token);
            if (grant.isEmpty() || !grant.get().allows(project, container, object)) {
                reply(exchange, 401, "Unauthorized");
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            switch (exchange.getRequestMethod()) {
                case "HEAD" -> head(exchange, project, container, object);
                case "DELETE" -> delete(exchange, project, container, object,
                        query != null && query.contains("multipart-manifest=delete"));
                case "GET" -> list(exchange, project, container, query);
                default -> reply(exchange, 405, "not here");
            }
        }
    }

    private void head(HttpExchange exchange, String project, String container, String object) throws IOException {
        Stored stored = objects.get(key(project, container, object));
        if (stored == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        if (!stored.segments().isEmpty()) {
            exchange.getResponseHeaders().add("X-Static-Large-Object", "True");
        }
        exchange.getResponseHeaders().add("Content-Length", Integer.toString(stored.length()));
        exchange.sendResponseHeaders(200, -1);
    }

    private void delete(HttpExchange exchange, String project, String container, String object, boolean manifest)
            throws IOException {
        Stored stored = objects.remove(key(project, container, object));
        if (stored == null) {
            reply(exchange, 404, "Not Found");
            return;
        }
        if (manifest) {
            stored.segments().forEach(s -> objects.remove(project + "/" + s));
            reply(exchange, 200, "{\"Response Status\": \"200 OK\", \"Number Deleted\": "
                    + (stored.segments().size() + 1) + ", \"Errors\": []}");
            return;
        }
        exchange.sendResponseHeaders(204, -1);
    }

    private void list(HttpExchange exchange, String project, String container, String query) throws IOException {
        String prefix = "";
        String marker = "";
        for (String pair : query == null ? new String[0] : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2 && kv[0].equals("prefix")) {
                prefix = decode(kv[1]);
            } else if (kv.length == 2 && kv[0].equals("marker")) {
                marker = decode(kv[1]);
            }
        }
        ArrayNode page = PythonJson.array();
        for (String name : objectsOf(project, container)) {
            if (name.startsWith(prefix) && name.compareTo(marker) > 0) {
                page.addObject().put("name", name);
            }
        }
        reply(exchange, 200, PythonJson.dumps(page));
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
