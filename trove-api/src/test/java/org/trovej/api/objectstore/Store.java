package org.trovej.api.objectstore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** The store over real HTTP, as a Swift client sends it: raw paths, optional X-Auth-Token, byte bodies. */
final class Store {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int port;
    private final String token;

    Store(int port, String token) {
        this.port = port;
        this.token = token;
    }

    Store withToken(String other) {
        return new Store(port, other);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    Response put(String path, byte[] body, String... headers) {
        return send("PUT", path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    Response put(String path, HttpRequest.BodyPublisher body, String... headers) {
        return send("PUT", path, body, headers);
    }

    Response get(String path, String... headers) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), headers);
    }

    Response head(String path, String... headers) {
        return send("HEAD", path, HttpRequest.BodyPublishers.noBody(), headers);
    }

    Response delete(String path, String... headers) {
        return send("DELETE", path, HttpRequest.BodyPublishers.noBody(), headers);
    }

    /** @param headers name, value, name, value, ... */
    Response send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).method(method, body);
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
