package org.trovej.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The API over a real HTTP port, byte for byte as a Trove client sees it. */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("api")
@Import(ApiApplicationTest.TestRoutes.class)
class ApiApplicationTest {

    static final String NOT_FOUND =
            "{\"itemNotFound\":{\"code\":404,\"message\":\"The resource could not be found.\"}}";

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        org.trovej.testsupport.SpringTestProperties.register(registry);
        registry.add("trovej.auth.strategy", () -> "noauth");
    }

    @LocalServerPort
    int port;

    @Test
    void versionsDocumentLinksToTheHostTheClientUsed() throws IOException {
        Response response = send("GET", "/", Map.of("Host", "trove.example.com:8779", "Accept", "application/json"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("{\"versions\":[{\"id\":\"v1.0\",\"status\":\"CURRENT\","
                + "\"updated\":\"2012-08-01T00:00:00Z\","
                + "\"links\":[{\"rel\":\"self\",\"href\":\"http://trove.example.com:8779/v1.0/\"}]}]}");
    }

    @Test
    void versionsDocumentKeepsTheSchemeAndDropsTheDefaultPort() throws IOException {
        assertThat(send("GET", "/", Map.of("Host", "trove.example.com:80")).body())
                .contains("\"href\":\"http://trove.example.com/v1.0/\"");
        assertThat(send("GET", "/", Map.of("Host", "[fd00::1]")).body())
                .contains("\"href\":\"http://[fd00::1]/v1.0/\"");
        assertThat(send("GET", "/", Map.of("Host", "127.0.0.1:" + port)).body())
                .contains("\"href\":\"http://127.0.0.1:" + port + "/v1.0/\"");
    }

    @Test
    void versionsDocumentIsRoutedForEveryVerbLikeTrove() throws IOException {
        Response response = send("POST", "/", Map.of("Host", "h:1", "Content-Length", "0"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"versions\":[");
    }

    @Test
    void unknownRouteIsItemNotFoundEvenForBrowsers() throws IOException {
        for (String path : new String[] {"/nope", "/v2.0/", "/error", "/index.html"}) {
            Response response = send("GET", path, Map.of("Host", "h", "Accept", "text/html"));

            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.header("content-type")).as(path).isEqualTo("application/json");
            assertThat(response.body()).as(path).isEqualTo(NOT_FOUND);
        }
    }

    @Test
    void knownPathWithAnotherVerbIsItemNotFoundNot405() throws IOException {
        assertThat(send("GET", "/test-only/get-only", Map.of("Host", "h")).status()).isEqualTo(200);

        Response response = send("DELETE", "/test-only/get-only", Map.of("Host", "h"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).isEqualTo(NOT_FOUND);
    }

    @Test
    void statusExceptionsKeepTheirReasonUnderTroveFaultNames() throws IOException {
        Response response = send("GET", "/test-only/conflict", Map.of("Host", "h"));

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.body()).isEqualTo("{\"conflict\":{\"code\":409,\"message\":\"busy\"}}");
    }

    @Test
    void unexpectedFailureIsInstanceFaultWithAnErrorId() throws IOException {
        Response response = send("GET", "/test-only/boom", Map.of("Host", "h"));

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).matches("\\{\"instanceFault\":\\{\"code\":500,\"message\":\"Internal Server "
                + "Error\\. Please keep this ID to help us figure out what went wrong: "
                + "\\([0-9a-f-]{36}\\)\\.\"}}");
    }

    /** Routes only this test needs, to reach the error paths no real endpoint has yet. */
    @RestController
    static class TestRoutes {

        @GetMapping("/test-only/get-only")
        String getOnly() {
            return "{}";
        }

        @GetMapping("/test-only/conflict")
        String conflict() {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "busy");
        }

        @GetMapping("/test-only/boom")
        String boom() {
            throw new IllegalStateException("boom");
        }
    }

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** HTTP/1.0 over a socket, so the Host header is exactly what the test says (java.net.http forbids that). */
    private Response send(String method, String path, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.0\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String raw = all.toString(StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String[] head = raw.substring(0, split).split("\r\n");
            Map<String, String> parsed = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                parsed.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            return new Response(Integer.parseInt(head[0].split(" ")[1]), parsed, raw.substring(split + 4));
        }
    }
}
