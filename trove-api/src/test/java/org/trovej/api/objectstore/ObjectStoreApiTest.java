package org.trovej.api.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ObjectStoreApiTest extends StoreIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void objectRoundTripKeepsBytesMetadataAndEtag() {
        assertThat(store.put(account() + "/backups", new byte[0]).status()).isEqualTo(201);
        assertThat(store.put(account() + "/backups", new byte[0]).status()).isEqualTo(202);
        byte[] data = bytes(300_000, 1); // larger than the Trove API's request body limit
        Store.Response put = store.put(account() + "/backups/db/1.tar.gz", data,
                "Content-Type", "application/x-gzip", "X-Object-Meta-Datastore", "postgresql",
                "x-object-meta-parent-location", "http://x/y");
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.header("ETag")).isEqualTo(md5(data));

        Store.Response get = store.get(account() + "/backups/db/1.tar.gz");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(data);
        assertThat(get.header("ETag")).isEqualTo(md5(data));
        assertThat(get.header("Content-Length")).isEqualTo("300000");
        assertThat(get.header("Content-Type")).isEqualTo("application/x-gzip");
        assertThat(get.header("X-Object-Meta-Datastore")).isEqualTo("postgresql");
        assertThat(get.header("X-Object-Meta-Parent-Location")).isEqualTo("http://x/y");
        assertThat(get.header("Last-Modified")).endsWith("GMT");

        Store.Response head = store.head(account() + "/backups/db/1.tar.gz");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("300000");
        assertThat(head.header("ETag")).isEqualTo(md5(data));
        assertThat(head.header("X-Object-Meta-Datastore")).isEqualTo("postgresql");
        assertThat(head.body()).isEmpty();

        assertThat(store.delete(account() + "/backups/db/1.tar.gz").status()).isEqualTo(204);
        assertThat(store.get(account() + "/backups/db/1.tar.gz").status()).isEqualTo(404);
        assertThat(store.delete(account() + "/backups/db/1.tar.gz").status()).isEqualTo(404);
    }

    @Test
    void accountListsItsContainers() throws Exception {
        assertThat(store.get(account()).status()).isEqualTo(204);
        store.put(account() + "/b", new byte[0]);
        store.put(account() + "/a", new byte[0]);
        store.put(account() + "/a/o", new byte[] {1, 2});
        assertThat(store.get(account()).text()).isEqualTo("a\nb\n");
        assertThat(store.get(account() + "?format=json").text())
                .isEqualTo("[{\"name\":\"a\",\"count\":1,\"bytes\":2},{\"name\":\"b\",\"count\":0,\"bytes\":0}]");
        assertThat(store.head(account()).header("X-Account-Container-Count")).isEqualTo("2");
    }

    @Test
    void chunkedUploadIsStoredWhole() {
        store.put(account() + "/c", new byte[0]);
        byte[] data = bytes(1_000_000, 2);
        Store.Response put = store.put(account() + "/c/chunked",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data)));
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.header("ETag")).isEqualTo(md5(data));
        assertThat(store.get(account() + "/c/chunked").body()).isEqualTo(data);
    }

    @Test
    void objectInMissingContainerIs404() {
        assertThat(store.put(account() + "/nothere/x", new byte[] {1}).status()).isEqualTo(404);
        assertThat(store.get(account() + "/nothere").status()).isEqualTo(404);
        assertThat(store.head(account() + "/nothere").status()).isEqualTo(404);
    }

    @Test
    void wrongEtagKeepsNothingAndLeavesTheOldObject() throws Exception {
        store.put(account() + "/c", new byte[0]);
        byte[] old = "old".getBytes(StandardCharsets.UTF_8);
        store.put(account() + "/c/o", old);
        Store.Response refused = store.put(account() + "/c/o", "new".getBytes(StandardCharsets.UTF_8),
                "ETag", md5(old));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(store.get(account() + "/c/o").body()).isEqualTo(old);
        assertThat(store.put(account() + "/c/fresh", old, "ETag", "\"" + md5(old).toUpperCase() + "\"").status())
                .isEqualTo(201);
        assertThat(store.put(account() + "/c/other", old, "ETag", "0123").status()).isEqualTo(422);
        assertThat(store.head(account() + "/c/other").status()).isEqualTo(404);
        assertThat(uploadsInProgress()).isZero();
    }

    @Test
    void listingFiltersByPrefixMarkerAndLimit() throws Exception {
        store.put(account() + "/c", new byte[0]);
        assertThat(store.get(account() + "/c").status()).isEqualTo(204);
        assertThat(store.get(account() + "/c?format=json").text()).isEqualTo("[]");
        for (String name : new String[] {"b1", "b1_00000001", "b1_00000002", "b2", "x/y"}) {
            store.put(account() + "/c/" + name, name.getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
        }
        Store.Response plain = store.get(account() + "/c?prefix=b1");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.text()).isEqualTo("b1\nb1_00000001\nb1_00000002\n");

        JsonNode json = JSON.readTree(store.get(account() + "/c?format=json&prefix=b1_&limit=1").body());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("name").asText()).isEqualTo("b1_00000001");
        assertThat(json.get(0).get("bytes").asLong()).isEqualTo(11);
        assertThat(json.get(0).get("hash").asText()).isEqualTo(md5("b1_00000001".getBytes(StandardCharsets.UTF_8)));
        assertThat(json.get(0).get("content_type").asText()).isEqualTo("text/plain");
        assertThat(json.get(0).get("last_modified").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");

        assertThat(store.get(account() + "/c?marker=b1_00000002").text()).isEqualTo("b2\nx/y\n");
        assertThat(store.get(account() + "/c?delimiter=/").text()).isEqualTo("b1\nb1_00000001\nb1_00000002\nb2\nx/\n");
        assertThat(JSON.readTree(store.get(account() + "/c?delimiter=/&prefix=x&format=json").body()).toString())
                .isEqualTo("[{\"subdir\":\"x/\"}]");
        Store.Response head = store.head(account() + "/c");
        assertThat(head.status()).isEqualTo(204);
        assertThat(head.header("X-Container-Object-Count")).isEqualTo("5");

        assertThat(store.delete(account() + "/c").status()).isEqualTo(409);
        for (String name : new String[] {"b1", "b1_00000001", "b1_00000002", "b2", "x/y"}) {
            assertThat(store.delete(account() + "/c/" + name).status()).isEqualTo(204);
        }
        assertThat(store.delete(account() + "/c").status()).isEqualTo(204);
        assertThat(store.head(account() + "/c").status()).isEqualTo(404);
    }

    @Test
    void staticLargeObjectRoundTripAndDelete() throws Exception {
        store.put(account() + "/c", new byte[0]);
        byte[][] parts = {bytes(70_000, 3), bytes(70_000, 4), bytes(5_000, 5)};
        StringBuilder manifest = new StringBuilder("[");
        StringBuilder etags = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String name = String.format("big_%08d", i + 1);
            assertThat(store.put(account() + "/c/" + name, parts[i]).status()).isEqualTo(201);
            manifest.append(i == 0 ? "" : ",").append("{\"path\":\"/c/").append(name).append("\",\"etag\":\"")
                    .append(md5(parts[i])).append("\",\"size_bytes\":").append(parts[i].length).append('}');
            etags.append(md5(parts[i]));
        }
        manifest.append(']');
        String sloEtag = md5(etags.toString().getBytes(StandardCharsets.US_ASCII));
        Store.Response put = store.put(account() + "/c/big?multipart-manifest=put",
                manifest.toString().getBytes(StandardCharsets.UTF_8), "X-Object-Meta-Backup-Type", "full");
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.header("ETag")).isEqualTo("\"" + sloEtag + "\"");

        Store.Response head = store.head(account() + "/c/big");
        assertThat(head.header("X-Static-Large-Object")).isEqualTo("True");
        assertThat(head.header("Content-Length")).isEqualTo("145000");
        assertThat(head.header("ETag")).isEqualTo("\"" + sloEtag + "\"");
        assertThat(head.header("X-Object-Meta-Backup-Type")).isEqualTo("full");

        byte[] whole = store.get(account() + "/c/big").body();
        byte[] expected = new byte[145_000];
        System.arraycopy(parts[0], 0, expected, 0, 70_000);
        System.arraycopy(parts[1], 0, expected, 70_000, 70_000);
        System.arraycopy(parts[2], 0, expected, 140_000, 5_000);
        assertThat(whole).isEqualTo(expected);

        JsonNode stored = JSON.readTree(store.get(account() + "/c/big?multipart-manifest=get").body());
        assertThat(stored).hasSize(3);
        assertThat(stored.get(0).get("name").asText()).isEqualTo("/c/big_00000001");

        Store.Response deleted = store.delete(account() + "/c/big?multipart-manifest=delete",
                "Accept", "application/json");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(JSON.readTree(deleted.body()).get("Number Deleted").asInt()).isEqualTo(4);
        assertThat(store.get(account() + "/c").status()).isEqualTo(204);
    }

    @Test
    void manifestOverWrongOrMissingSegmentsIsRefused() {
        store.put(account() + "/c", new byte[0]);
        byte[] part = bytes(1000, 6);
        store.put(account() + "/c/s1", part);
        String manifest = "[{\"path\":\"/c/s1\",\"etag\":\"" + md5(new byte[] {1}) + "\",\"size_bytes\":1000},"
                + "{\"path\":\"/c/s1\",\"etag\":\"" + md5(part) + "\",\"size_bytes\":999},"
                + "{\"path\":\"/c/gone\",\"etag\":null,\"size_bytes\":null}]";
        Store.Response refused = store.put(account() + "/c/m?multipart-manifest=put",
                manifest.getBytes(StandardCharsets.UTF_8));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).isEqualTo("Errors:\n/c/s1, Etag Mismatch\n/c/s1, Size Mismatch\n"
                + "/c/gone, 404 Not Found\n");
        assertThat(store.head(account() + "/c/m").status()).isEqualTo(404);
        assertThat(store.put(account() + "/c/m?multipart-manifest=put", "{no json".getBytes(StandardCharsets.UTF_8))
                .status()).isEqualTo(400);
    }

    @Test
    void copyFromMakesAnObjectWithTheSourcesBytes() {
        store.put(account() + "/c", new byte[0]);
        byte[] data = bytes(10_000, 7);
        store.put(account() + "/c/b1_00000001", data, "X-Object-Meta-Keep", "yes");
        Store.Response copy = store.put(account() + "/c/b1", new byte[0], "X-Copy-From", "/c/b1_00000001",
                "X-Object-Meta-Sha256", "abc");
        assertThat(copy.status()).isEqualTo(201);
        assertThat(copy.header("ETag")).isEqualTo(md5(data));
        Store.Response get = store.get(account() + "/c/b1");
        assertThat(get.body()).isEqualTo(data);
        assertThat(get.header("X-Object-Meta-Sha256")).isEqualTo("abc");
        assertThat(get.header("X-Object-Meta-Keep")).isEqualTo("yes");
    }

    @Test
    void aBrokenUploadLeavesNoObject() throws Exception {
        store.put(account() + "/c", new byte[0]);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + account() + "/c/cut HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: t\r\n"
                    + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes(50_000, 8));
            out.flush();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (uploadsInProgress() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(uploadsInProgress()).isZero();
        assertThat(store.head(account() + "/c/cut").status()).isEqualTo(404);
    }

    @Test
    void concurrentPutsOfOneNameNeverTearTheObject() throws Exception {
        store.put(account() + "/c", new byte[0]);
        byte[][] versions = new byte[4][];
        java.util.Set<String> etags = new java.util.HashSet<>();
        for (int i = 0; i < versions.length; i++) {
            versions[i] = bytes(2_000_000, 100 + i);
            etags.add(md5(versions[i]));
        }
        store.put(account() + "/c/o", versions[0]);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> puts = new java.util.ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (byte[] version : versions) {
                    puts.add(pool.submit(() -> store.put(account() + "/c/o", version).status()));
                }
            }
            java.util.concurrent.Future<Integer> reads = pool.submit(() -> {
                int n = 0;
                while (puts.stream().anyMatch(put -> !put.isDone()) || n < 5) {
                    Store.Response get = store.get(account() + "/c/o");
                    assertThat(get.status()).isEqualTo(200);
                    assertThat(md5(get.body())).isEqualTo(get.header("ETag")).isIn(etags);
                    n++;
                }
                return n;
            });
            for (java.util.concurrent.Future<Integer> put : puts) {
                assertThat(put.get()).isEqualTo(201);
            }
            assertThat(reads.get()).isGreaterThanOrEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        Store.Response last = store.get(account() + "/c/o");
        assertThat(md5(last.body())).isEqualTo(last.header("ETag")).isIn(etags);
        assertThat(uploadsInProgress()).isZero();
    }

    @Test
    void storeErrorsArePlainTextNeverHtml() {
        Store.Response missing = store.get(account() + "/none/such");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("text/plain");
        assertThat(missing.text()).doesNotContain("<html");
    }

    static long uploadsInProgress() throws Exception {
        try (Stream<Path> files = Files.list(STORE_DIR.resolve(".tmp"))) {
            return files.count();
        }
    }
}
