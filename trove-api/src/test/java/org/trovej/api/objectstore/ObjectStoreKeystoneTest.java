package org.trovej.api.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.api.ApiApplication;
import org.trovej.service.objectstore.StoreTokens;
import org.trovej.testsupport.KeystoneFixture;

/**
 * The store in keystone mode, against the real Keystone of scripts/keystone: a user's token reaches its own
 * project's account only, through the same validation as the Trove API; store grants work beside it.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("api")
class ObjectStoreKeystoneTest {

    private static KeystoneFixture keystone;
    private static KeystoneFixture.Token alpha;
    private static KeystoneFixture.Token beta;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        keystone = KeystoneFixture.start();
        org.trovej.testsupport.SpringTestProperties.register(registry);
        registry.add("trovej.rpc.taskmanager-queue", () -> "taskmanager-storekeystonetest-" + UUID.randomUUID());
        registry.add("trovej.auth.strategy", () -> "keystone");
        registry.add("trovej.keystone.auth-url", keystone::authUrl);
        registry.add("trovej.keystone.username", () -> "trove");
        registry.add("trovej.keystone.password", () -> keystone.user("trove").password());
        registry.add("trovej.keystone.project-name", () -> keystone.user("trove").project());
        registry.add("trovej.object-store.local.dir", StoreIntegrationTest.STORE_DIR::toString);
    }

    @BeforeAll
    static void tokens() {
        keystone = KeystoneFixture.start();
        alpha = keystone.token("alpha-user");
        beta = keystone.token("beta-user");
    }

    @LocalServerPort
    int port;

    @Autowired
    StoreTokens tokens;

    @Test
    void aKeystoneTokenReachesItsOwnProjectsAccountOnly() {
        Store asAlpha = new Store(port, alpha.value());
        String container = "/v1/AUTH_" + alpha.projectId() + "/c-" + UUID.randomUUID();
        assertThat(asAlpha.put(container, new byte[0]).status()).isIn(201, 202);
        assertThat(asAlpha.put(container + "/o", new byte[] {1, 2, 3}).status()).isEqualTo(201);
        assertThat(asAlpha.get(container + "/o").body()).containsExactly(1, 2, 3);

        assertThat(new Store(port, beta.value()).get(container + "/o").status()).isEqualTo(403);
        assertThat(asAlpha.put("/v1/AUTH_" + beta.projectId() + "/c", new byte[0]).status()).isEqualTo(403);
        assertThat(new Store(port, "garbage-" + UUID.randomUUID()).get(container + "/o").status()).isEqualTo(401);
        assertThat(new Store(port, null).get(container + "/o").status()).isEqualTo(401);

        String object = container.substring(container.lastIndexOf('/') + 1) + "/o";
        Store guest = new Store(port, tokens.mint(alpha.projectId(), object, Duration.ofMinutes(1)));
        assertThat(guest.get(container + "/o").body()).containsExactly(1, 2, 3);
    }
}
