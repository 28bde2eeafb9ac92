package org.trovej.common.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SwiftAccountTest {

    @Test
    void manifestIsSwiftsSloListInSegmentOrder() throws Exception {
        String json = SwiftAccount.manifestJson(List.of(
                SloSegment.of("database_backups", "b1.tar.gz.enc_00000001", "aa11", 2147483648L),
                SloSegment.of("database_backups", "b1.tar.gz.enc_00000002", "bb22", 17)));

        JsonNode manifest = new ObjectMapper().readTree(json);
        assertThat(manifest.isArray()).isTrue();
        assertThat(manifest).hasSize(2);
        assertThat(manifest.get(0).get("path").asText()).isEqualTo("/database_backups/b1.tar.gz.enc_00000001");
        assertThat(manifest.get(0).get("etag").asText()).isEqualTo("aa11");
        assertThat(manifest.get(0).get("size_bytes").asLong()).isEqualTo(2147483648L);
        assertThat(manifest.get(1).get("path").asText()).isEqualTo("/database_backups/b1.tar.gz.enc_00000002");
        assertThat(manifest.get(1).get("size_bytes").asLong()).isEqualTo(17);
    }

    @Test
    void anEmptyManifestIsRefused() {
        assertThatThrownBy(() -> SwiftAccount.manifestJson(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SloSegment("c/o", "e", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void objectUrlsArePercentEncodedButKeepTheObjectsSlashes() {
        URI account = URI.create("http://127.0.0.1:8090/v1/AUTH_p");

        assertThat(SwiftAccount.objectUri(account, "c", "a b/ü?x", null).toString())
                .isEqualTo("http://127.0.0.1:8090/v1/AUTH_p/c/a%20b/%C3%BC%3Fx");
        assertThat(SwiftAccount.objectUri(account, "c", "o", "multipart-manifest=put").toString())
                .isEqualTo("http://127.0.0.1:8090/v1/AUTH_p/c/o?multipart-manifest=put");
        assertThat(SwiftAccount.objectUri(account, "c", null, null).toString())
                .isEqualTo("http://127.0.0.1:8090/v1/AUTH_p/c");
        assertThatThrownBy(() -> SwiftAccount.objectUri(account, "c/d", "o", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAccountUrlsTrailingSlashIsDropped() {
        SwiftAccount account = new SwiftClient().account(URI.create("http://h:1/v1/AUTH_p/"), "secret-token");

        assertThat(account.location("database_backups", "b.tar.gz")).isEqualTo("http://h:1/v1/AUTH_p/database_backups/b.tar.gz");
        assertThat(account.toString()).doesNotContain("secret-token");
    }
}
