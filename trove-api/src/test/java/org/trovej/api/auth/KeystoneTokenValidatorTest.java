package org.trovej.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The cache's bounds, with the Keystone answers given in-process (KeystoneAuthTest covers the same against the
 * real Keystone): size, expires_at, refused tokens, failures not cached; and the settings' checks.
 */
class KeystoneTokenValidatorTest {

    private static final KeystoneProperties PROPERTIES = new KeystoneProperties("http://127.0.0.1:9", "trove", "pw",
            "service", null, null, null, null, null, null);

    /** Answers from a map; counts the questions; throws while {@code down} is set. */
    private static final class Answers extends KeystoneClient {
        final Map<String, KeystoneToken> valid = new ConcurrentHashMap<>();
        final AtomicInteger asked = new AtomicInteger();
        volatile boolean down;

        Answers() {
            super(PROPERTIES);
        }

        @Override
        public KeystoneToken validate(String token) {
            asked.incrementAndGet();
            if (down) {
                throw new KeystoneUnavailableException("down");
            }
            return valid.get(token);
        }
    }

    private static KeystoneToken token(Duration life) {
        return new KeystoneToken("p1", "u1", "user", List.of("member"), Instant.now().plus(life));
    }

    @Test
    void answersAreReusedAndTheSizeIsBounded() {
        Answers keystone = new Answers();
        KeystoneTokenValidator validator = new KeystoneTokenValidator(keystone, Duration.ofMinutes(5), 3);
        for (int i = 0; i < 5; i++) {
            keystone.valid.put("t" + i, token(Duration.ofHours(1)));
            assertThat(validator.validate("t" + i)).isPresent();
        }
        assertThat(validator.size()).isEqualTo(3);
        assertThat(validator.validate("t4")).isPresent();
        assertThat(validator.validate("t3")).isPresent();
        assertThat(keystone.asked).hasValue(5); // the three newest are cached
        assertThat(validator.validate("t0")).isPresent();
        assertThat(keystone.asked).hasValue(6); // the oldest was dropped
    }

    @Test
    void aValidAnswerIsNotUsedBeyondTheTokensExpiry() throws InterruptedException {
        Answers keystone = new Answers();
        KeystoneTokenValidator validator = new KeystoneTokenValidator(keystone, Duration.ofMinutes(5), 100);
        keystone.valid.put("short", token(Duration.ofMillis(700)));
        assertThat(validator.validate("short")).isPresent();
        assertThat(validator.validate("short")).isPresent();
        assertThat(keystone.asked).hasValue(1);
        Thread.sleep(900);
        keystone.valid.remove("short"); // Keystone no longer knows an expired token
        assertThat(validator.validate("short")).isEmpty();
        assertThat(keystone.asked).hasValue(2);
    }

    @Test
    void refusalsAreCachedButFailuresAreNot() {
        Answers keystone = new Answers();
        KeystoneTokenValidator validator = new KeystoneTokenValidator(keystone, Duration.ofMinutes(5), 100);
        assertThat(validator.validate("garbage")).isEmpty();
        assertThat(validator.validate("garbage")).isEqualTo(Optional.empty());
        assertThat(keystone.asked).hasValue(1);

        keystone.down = true;
        keystone.valid.put("t", token(Duration.ofHours(1)));
        assertThatThrownBy(() -> validator.validate("t")).isInstanceOf(KeystoneUnavailableException.class);
        keystone.down = false;
        assertThat(validator.validate("t")).isPresent();
        assertThat(keystone.asked).hasValue(3);
    }

    @Test
    void aZeroCacheTimeAsksEveryTime() {
        Answers keystone = new Answers();
        KeystoneTokenValidator validator = new KeystoneTokenValidator(keystone, Duration.ZERO, 100);
        keystone.valid.put("t", token(Duration.ofHours(1)));
        validator.validate("t");
        validator.validate("t");
        assertThat(keystone.asked).hasValue(2);
    }

    @Test
    void keystoneModeNamesWhatIsMissing() {
        assertThatThrownBy(() -> new KeystoneProperties(null, null, null, null, null, null, null, null, null, null)
                .requireComplete()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TROVEJ_KEYSTONE_AUTH_URL").hasMessageContaining("TROVEJ_KEYSTONE_USERNAME")
                .hasMessageContaining("TROVEJ_KEYSTONE_PASSWORD").hasMessageContaining("TROVEJ_KEYSTONE_PROJECT_NAME");
        assertThat(PROPERTIES.identityUrl()).isEqualTo("http://127.0.0.1:9/v3");
        assertThat(new KeystoneProperties("http://k:5000/v3/", "u", "p", "s", null, null, null, null, null, null)
                .identityUrl()).isEqualTo("http://k:5000/v3");
        assertThat(PROPERTIES.userDomainName()).isEqualTo("Default");
        assertThat(PROPERTIES.cacheTime()).isEqualTo(Duration.ofSeconds(300));
        assertThat(PROPERTIES.toString()).doesNotContain("pw");
    }
}
