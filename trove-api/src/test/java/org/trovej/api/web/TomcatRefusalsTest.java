package org.trovej.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.ApiIntegrationTest;

/** What Tomcat refuses before the API runs still answers a Trove fault body, never Tomcat's HTML page. */
class TomcatRefusalsTest extends ApiIntegrationTest {

    @Test
    void aPathTomcatRefusesIsATroveFault() throws Exception {
        String response = raw("GET /v1.0/p/instances/a%5Cb HTTP/1.1");
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).doesNotContainIgnoringCase("<html").contains("{\"badRequest\":{\"code\":400,");
    }

    @Test
    void anEncodedSlashReachesTheRoutesAndIsNotFound() throws Exception {
        String response = raw("GET /v1.0/p/instances/a%2Fb HTTP/1.1");
        assertThat(response).startsWith("HTTP/1.1 404");
        assertThat(response).doesNotContainIgnoringCase("<html").contains("\"itemNotFound\"");
    }

    private String raw(String requestLine) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
