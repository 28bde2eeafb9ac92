package org.trovej.taskmanager.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.trovej.service.TroveProperties;
import org.trovej.service.objectstore.StoreTokens;

/** Where guests are told the object store is: the configured URL, else this JVM's API as a guest reaches it. */
class LocalObjectStoreAccountsTest {

    private final BackupProperties backups = new BackupProperties(null, null, null, null, null, null);
    private final StoreTokens tokens = new StoreTokens(new TroveProperties(null, null));

    private LocalObjectStoreAccounts accounts(String url, MockEnvironment environment) {
        return new LocalObjectStoreAccounts(new ObjectStoreProperties(url), backups, tokens, environment);
    }

    @Test
    void aConfiguredUrlIsTheAccountsBase() {
        assertThat(accounts("https://swift.example:8080/", new MockEnvironment()).swiftUrl("p1"))
                .isEqualTo("https://swift.example:8080/v1/AUTH_p1");
    }

    @Test
    void withoutOneTheApiOfThisJvmOnTheLoopbackAddress() {
        assertThat(accounts(null, new MockEnvironment()).swiftUrl("p1")).isEqualTo("http://127.0.0.1:8779/v1/AUTH_p1");
        MockEnvironment chosen = new MockEnvironment().withProperty("server.port", "0")
                .withProperty("local.server.port", "41234").withProperty("server.address", "0.0.0.0");
        assertThat(accounts(null, chosen).swiftUrl("p1")).isEqualTo("http://127.0.0.1:41234/v1/AUTH_p1");
        MockEnvironment bound = new MockEnvironment().withProperty("server.port", "9000")
                .withProperty("server.address", "10.0.0.5");
        assertThat(accounts(null, bound).swiftUrl("p1")).isEqualTo("http://10.0.0.5:9000/v1/AUTH_p1");
    }

    @Test
    void aGrantCoversOneBackupOfOneProject() {
        String token = accounts(null, new MockEnvironment()).grant("p1", "database_backups", "b-1");
        StoreTokens.StoreGrant grant = tokens.verify(token).orElseThrow();
        assertThat(grant.allows("p1", "database_backups", "b-1.tar.gz")).isTrue();
        assertThat(grant.allows("p1", "database_backups", "b-2.tar.gz")).isFalse();
        assertThat(grant.expires()).isAfter(java.time.Instant.now().plus(java.time.Duration.ofHours(24)));
    }
}
