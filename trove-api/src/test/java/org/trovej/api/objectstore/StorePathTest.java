package org.trovej.api.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class StorePathTest {

    @Test
    void splitsAccountContainerAndObjectDecodingAsSwiftDoes() {
        assertThat(StorePath.parse("/v1/AUTH_p1")).isEqualTo(new StorePath("p1", null, null));
        assertThat(StorePath.parse("/v1/AUTH_p1/")).isEqualTo(new StorePath("p1", null, null));
        assertThat(StorePath.parse("/v1/AUTH_p1/c")).isEqualTo(new StorePath("p1", "c", null));
        assertThat(StorePath.parse("/v1/AUTH_p1/c/")).isEqualTo(new StorePath("p1", "c", null));
        assertThat(StorePath.parse("/v1/AUTH_p1/c/a/b%2Fc;d+e%20f"))
                .isEqualTo(new StorePath("p1", "c", "a/b/c;d+e f"));
        assertThat(StorePath.parse("/v1/AUTH_p1/c/%C3%A9")).isEqualTo(new StorePath("p1", "c", "é"));
    }

    @Test
    void refusesWhatCouldLeaveTheAccount() {
        for (String path : List.of("/v1/AUTH_p/c/..", "/v1/AUTH_p/c/a/../b", "/v1/AUTH_p/c/a/%2e%2E/b",
                "/v1/AUTH_p/c/./x", "/v1/AUTH_p/c/a%00", "/v1/AUTH_p/../x", "/v1/AUTH_p/a%2Fb/x",
                "/v1/AUTH_p/c/%C0%AE", "/v1/AUTH_p/c/%2", "/v1/AUTH_p/c/%G0")) {
            assertThatThrownBy(() -> StorePath.parse(path)).as(path).isInstanceOfSatisfying(StoreException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
        for (String path : List.of("/v1/AUTH_", "/v1/AUTH_a.b/c", "/v1/AUTH_..%2F/c", "/v1/x/c", "/v1.0/p")) {
            assertThatThrownBy(() -> StorePath.parse(path)).as(path).isInstanceOfSatisfying(StoreException.class,
                    e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @Test
    void fileNamesNeverHoldASlashAndDecodeBack() {
        StoreDirectory directory = new StoreDirectory(StoreIntegrationTest.BASE.resolve("unit"));
        for (String name : List.of("../../x", "/etc/passwd", "..", ".tmp", "a.obj", "%2F", "é/ü")) {
            Path file = directory.object("p", "c", name);
            assertThat(file.getParent()).isEqualTo(directory.root().resolve("p").resolve("c"));
            assertThat(file.getFileName().toString()).doesNotContain("/").endsWith(".obj");
            assertThat(StoreDirectory.objectName(file)).isEqualTo(name);
        }
        assertThat(directory.container("p", "..c").getParent()).isEqualTo(directory.root().resolve("p"));
    }
}
