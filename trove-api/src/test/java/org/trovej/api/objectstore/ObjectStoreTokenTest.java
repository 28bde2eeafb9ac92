package org.trovej.api.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.trovej.service.objectstore.StoreTokens;

/** Store grants reach exactly their project and prefix; no token is a 401 even where the API runs noauth. */
class ObjectStoreTokenTest extends StoreIntegrationTest {

    @Autowired
    private StoreTokens tokens;

    @Test
    void aGrantForOneBackupReachesOnlyItsObjects() {
        store.put(account() + "/c", new byte[0]);
        store.put(account() + "/c/b2", "other backup".getBytes(StandardCharsets.UTF_8));
        Store guest = store.withToken(tokens.mint(project, "c/b1", Duration.ofMinutes(5)));

        assertThat(guest.put(account() + "/c", new byte[0]).status()).isEqualTo(202);
        assertThat(guest.put(account() + "/c/b1_00000001", new byte[] {1, 2}).status()).isEqualTo(201);
        assertThat(guest.put(account() + "/c/b1", new byte[] {3}).status()).isEqualTo(201);
        assertThat(guest.get(account() + "/c/b1").body()).containsExactly(3);
        assertThat(guest.head(account() + "/c/b1").status()).isEqualTo(200);

        assertThat(guest.put(account() + "/c/b2", new byte[] {9}).status()).isEqualTo(403);
        assertThat(guest.get(account() + "/c/b2").status()).isEqualTo(403);
        assertThat(guest.delete(account() + "/c/b2").status()).isEqualTo(403);
        assertThat(guest.put(account() + "/d", new byte[0]).status()).isEqualTo(403);
        assertThat(guest.delete(account() + "/c").status()).isEqualTo(403);
        assertThat(store.get(account() + "/c/b2").text()).isEqualTo("other backup");

        // a listing shows the grant's objects only
        assertThat(guest.get(account() + "/c").text()).isEqualTo("b1\nb1_00000001\n");
        assertThat(guest.get(account() + "/c?prefix=b").text()).isEqualTo("b1\nb1_00000001\n");
        assertThat(guest.get(account() + "/c?prefix=b2").status()).isEqualTo(204);

        // the same grant in another project's account
        String other = "/v1/AUTH_other" + project.substring(0, 8);
        store.put(other + "/c", new byte[0]);
        assertThat(guest.put(other + "/c/b1", new byte[] {1}).status()).isEqualTo(403);
        assertThat(guest.get(other + "/c/b1").status()).isEqualTo(403);
        assertThat(store.head(other + "/c/b1").status()).isEqualTo(404);
    }

    @Test
    void readPrefixesAreReadableButNotWritable() {
        store.put(account() + "/c", new byte[0]);
        store.put(account() + "/c/parent.enc", "parent".getBytes(StandardCharsets.UTF_8), "X-Object-Meta-Lsn", "42");
        store.put(account() + "/c/other", "other".getBytes(StandardCharsets.UTF_8));
        Store guest = store.withToken(tokens.mint(project, "c/child", java.util.List.of("c/parent.enc"),
                Duration.ofMinutes(5)));

        assertThat(guest.head(account() + "/c/parent.enc").status()).isEqualTo(200);
        assertThat(guest.get(account() + "/c/parent.enc").text()).isEqualTo("parent");
        assertThat(guest.put(account() + "/c/child", new byte[0], "X-Copy-From", "/c/parent.enc").status())
                .isEqualTo(201);
        assertThat(guest.put(account() + "/c/parent.enc", new byte[] {1}).status()).isEqualTo(403);
        assertThat(guest.delete(account() + "/c/parent.enc").status()).isEqualTo(403);
        assertThat(guest.get(account() + "/c/other").status()).isEqualTo(403);
        assertThat(store.get(account() + "/c/parent.enc").text()).isEqualTo("parent");
    }

    @Test
    void aManifestCannotReachSegmentsOutsideTheGrant() {
        store.put(account() + "/c", new byte[0]);
        byte[] foreign = "not yours".getBytes(StandardCharsets.UTF_8);
        store.put(account() + "/c/b2_00000001", foreign);
        Store guest = store.withToken(tokens.mint(project, "c/b1", Duration.ofMinutes(5)));
        String manifest = "[{\"path\":\"/c/b2_00000001\",\"etag\":\"" + md5(foreign) + "\",\"size_bytes\":"
                + foreign.length + "}]";
        Store.Response refused = guest.put(account() + "/c/b1?multipart-manifest=put",
                manifest.getBytes(StandardCharsets.UTF_8));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("/c/b2_00000001, 403 Forbidden");
        assertThat(guest.put(account() + "/c/b1", new byte[0], "X-Copy-From", "/c/b2_00000001").status())
                .isEqualTo(403);
    }

    @Test
    void missingBrokenOrExpiredTokensAreRefused() {
        store.put(account() + "/c", new byte[0]);
        store.put(account() + "/c/b1", new byte[] {1});
        Store.Response none = store.withToken(null).get(account() + "/c/b1");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.text()).doesNotContain("<html");
        assertThat(store.withToken(null).put(account() + "/c/b1", new byte[] {2}).status()).isEqualTo(401);

        String grant = tokens.mint(project, "c/b1", Duration.ofMinutes(5));
        String tampered = grant.substring(0, grant.length() - 1) + (grant.endsWith("0") ? "1" : "0");
        assertThat(store.withToken(tampered).get(account() + "/c/b1").status()).isEqualTo(401);
        String expired = tokens.mint(project, "c/b1", Duration.ofSeconds(-1));
        assertThat(store.withToken(expired).get(account() + "/c/b1").status()).isEqualTo(401);
        assertThat(store.get(account() + "/c/b1").body()).containsExactly(1);
    }
}
