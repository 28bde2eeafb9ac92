package org.trovej.service.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class StoreTokensTest {

    private final Clock now = Clock.fixed(Instant.parse("2026-12-03T00:00:00Z"), ZoneOffset.UTC);
    private final StoreTokens tokens = new StoreTokens("secret", now);

    @Test
    void aTokenGrantsItsPrefixOfItsProjectOnly() {
        String token = tokens.mint("p1", "database_backups/b1", Duration.ofHours(1));
        StoreTokens.StoreGrant grant = tokens.verify(token).orElseThrow();
        assertThat(grant.allows("p1", "database_backups", "b1.tar.gz.enc")).isTrue();
        assertThat(grant.allows("p1", "database_backups", "b1.tar.gz.enc_00000001")).isTrue();
        assertThat(grant.allows("p1", "database_backups", null)).isTrue();
        assertThat(grant.allows("p1", "database_backups", "b2.tar.gz.enc")).isFalse();
        assertThat(grant.allows("p1", "other", "b1.tar.gz.enc")).isFalse();
        assertThat(grant.allows("p2", "database_backups", "b1.tar.gz.enc")).isFalse();
    }

    @Test
    void aTamperedExpiredOrForeignTokenGrantsNothing() {
        String token = tokens.mint("p1", "c/b1", Duration.ofHours(1));
        assertThat(tokens.verify(token.replace("tjs1.p1.", "tjs1.p2."))).isEmpty();
        assertThat(tokens.verify(token.substring(0, token.length() - 2) + "00")).isEmpty();
        assertThat(new StoreTokens("other secret", now).verify(token)).isEmpty();
        StoreTokens later = new StoreTokens("secret", Clock.offset(now, Duration.ofHours(2)));
        assertThat(later.verify(token)).isEmpty();
        assertThat(tokens.verify("a keystone token")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }
}
