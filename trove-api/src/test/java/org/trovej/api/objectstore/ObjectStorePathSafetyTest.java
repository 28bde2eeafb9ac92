package org.trovej.api.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Names that could leave the store's directory, sent byte for byte over a socket (no client normalises them):
 * each is refused with a plain 400 or 404, never an HTML page, and nothing appears outside the store.
 */
class ObjectStorePathSafetyTest extends StoreIntegrationTest {

    @Test
    void traversalAttemptsAreRefusedAndWriteNothingOutsideTheStore() throws Exception {
        store.put(account() + "/c", new byte[0]);
        List<String> attacks = List.of(
                account() + "/c/../../../outside/x",
                account() + "/c/..%2F..%2F..%2F..%2Foutside%2Fx",
                account() + "/c/%2E%2E/%2E%2E/%2E%2E/%2E%2E/outside/x",
                account() + "/c/a/./b",
                account() + "/c/a/../b",
                account() + "/c/a%00b",
                account() + "/c/%00",
                account() + "/..%2F..%2Foutside/x",
                account() + "/%2E%2E/x",
                account() + "/c%2Fd/x",
                "/v1/AUTH_..%2F..%2Foutside/c/x",
                "/v1/AUTH_../outside/c/x",
                account() + "/c/%C0%AE%C0%AE/x",
                account() + "/c/%zz");
        for (String path : attacks) {
            Raw response = raw("PUT", path, "evil");
            assertThat(response.status()).as(path).isIn(400, 404);
            assertThat(response.text()).as(path).doesNotContainIgnoringCase("<html");
            Raw get = raw("GET", path, null);
            assertThat(get.status()).as(path).isIn(400, 404);
            assertThat(get.text()).as(path).doesNotContainIgnoringCase("<html");
        }
        try (Stream<Path> outside = Files.walk(OUTSIDE)) {
            assertThat(outside.filter(Files::isRegularFile).toList()).isEmpty();
        }
        try (Stream<Path> files = Files.walk(BASE)) {
            assertThat(files.filter(Files::isRegularFile).filter(file -> !file.startsWith(STORE_DIR)).toList())
                    .isEmpty();
        }
    }

    @Test
    void namesThatLookLikePathsStayObjectNamesInsideTheStore() throws Exception {
        store.put(account() + "/c", new byte[0]);
        for (String name : List.of("/etc/passwd", "%252e%252e/x", "a;b", ".tmp", "x.obj")) {
            String path = account() + "/c/" + StoreDirectory.encode(name).replace("%2F", "/");
            assertThat(raw("PUT", path, name).status()).as(name).isEqualTo(201);
            assertThat(raw("GET", path, null).text()).as(name).isEqualTo(name);
        }
        assertThat(store.get(account() + "/c").text()).isEqualTo("%252e%252e/x\n.tmp\n/etc/passwd\na;b\nx.obj\n");
        // Tomcat refuses backslashes in paths: plain text, not its HTML page
        Raw backslash = raw("PUT", account() + "/c/..%5C..%5Cx", "x");
        assertThat(backslash.status()).isEqualTo(400);
        assertThat(backslash.text()).doesNotContainIgnoringCase("<html");
        try (Stream<Path> files = Files.walk(BASE)) {
            assertThat(files.filter(Files::isRegularFile).filter(file -> !file.startsWith(STORE_DIR)).toList())
                    .isEmpty();
        }
    }

    record Raw(int status, String text) {
    }

    private Raw raw(String method, String path, String body) throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: t\r\n"
                    + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int headersEnd = response.indexOf("\r\n\r\n");
            return new Raw(status, headersEnd < 0 ? "" : response.substring(headersEnd + 4));
        }
    }
}
