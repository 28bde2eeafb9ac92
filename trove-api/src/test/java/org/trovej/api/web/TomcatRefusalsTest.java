package org.trovej.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trovej.api.support.ApiIntegrationTest;

/**
 * What Tomcat refuses before the API runs still answers a Trove fault body, never Tomcat's HTML page; sent as raw
 * bytes, since no HTTP client sends most of these.
 */
class TomcatRefusalsTest extends ApiIntegrationTest {

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("backslash", "GET /v1.0/p/instances/a%5Cb HTTP/1.1", ""),
                Arguments.of("encoded NUL in the path", "GET /v1.0/p/instances/%00 HTTP/1.1", ""),
                Arguments.of("raw {", "GET /v1.0/p/instances/{ HTTP/1.1", ""),
                Arguments.of("raw }", "GET /v1.0/p/instances/} HTTP/1.1", ""),
                Arguments.of("raw { in the query", "GET /v1.0/p/instances?marker={ HTTP/1.1", ""),
                Arguments.of("invalid UTF-8", "GET /v1.0/p/instances/%ff%fe HTTP/1.1", ""),
                Arguments.of("control character in a header", "GET /v1.0/p/instances HTTP/1.1",
                        "X-Bad: a\u0001b\r\n"),
                Arguments.of("DEL in a header", "GET /v1.0/p/instances HTTP/1.1", "X-Bad: a\u007fb\r\n"),
                Arguments.of("header name with a space", "GET /v1.0/p/instances HTTP/1.1", "X Bad: a\r\n"),
                Arguments.of("oversize header", "GET /v1.0/p/instances HTTP/1.1",
                        "X-Big: " + "a".repeat(20_000) + "\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aRequestTomcatRefusesIsABadRequestFault(String what, String requestLine, String headers) throws Exception {
        String response = raw(requestLine, headers);
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).doesNotContainIgnoringCase("<html").contains("{\"badRequest\":{\"code\":400,");
    }

    @Test
    void anEncodedSlashReachesTheRoutesAndIsNotFound() throws Exception {
        String response = raw("GET /v1.0/p/instances/a%2Fb HTTP/1.1", "");
        assertThat(response).startsWith("HTTP/1.1 404");
        assertThat(response).doesNotContainIgnoringCase("<html").contains("\"itemNotFound\"");
    }

    @Test
    void anUnknownHttpVersionIsAFaultNamedAsWebobNamesIt() throws Exception {
        String response = raw("GET /v1.0/p/instances HTTP/9.9", "");
        assertThat(response).startsWith("HTTP/1.1 505").contains("{\"versionNotSupported\":{\"code\":505,");
    }

    /** Tomcat refuses TRACE with an empty body of its own; the API answers it, and OPTIONS, with a fault. */
    @Test
    void traceAndOptionsAreBadMethodFaults() throws Exception {
        for (String method : new String[] {"TRACE", "OPTIONS"}) {
            String response = raw(method + " /v1.0/p/instances HTTP/1.1", "X-Secret: echo-me\r\n");
            assertThat(response).as(method).startsWith("HTTP/1.1 405").contains("application/json")
                    .contains("{\"badMethod\":{\"code\":405,\"message\":\"The method " + method
                            + " is not allowed for this resource.\"}}")
                    .doesNotContain("echo-me");
        }
        assertThat(raw("TRACE /v1/AUTH_p/c HTTP/1.1", "")).startsWith("HTTP/1.1 405")
                .contains("405 Method Not Allowed").doesNotContainIgnoringCase("<html");
    }

    private String raw(String requestLine, String headers) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n" + headers
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
