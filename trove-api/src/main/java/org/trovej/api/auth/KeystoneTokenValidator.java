package org.trovej.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Validations of caller tokens, cached as keystonemiddleware caches them: an answer (valid or not) is reused for
 * {@code cache-time} (300 s by default) and a valid one never beyond the token's {@code expires_at}. So a revoked
 * token is refused at the latest {@code cache-time} after its revocation, and a warm cache costs no Keystone round
 * trip. At most {@code cache-size} answers are kept (least recently used dropped first); tokens are kept only as
 * SHA-256 digests. Concurrent requests with the same token not yet known share one validation. A failure to ask
 * Keystone is not cached.
 */
public class KeystoneTokenValidator {

    private final KeystoneClient keystone;
    private final long cacheNanos;
    private final Clock clock;
    private final Map<String, Entry> entries;

    /** One answer, or the validation that will give it. */
    private static final class Entry {
        final CompletableFuture<Optional<KeystoneToken>> answer = new CompletableFuture<>();
        /** System.nanoTime() after which the answer is no longer used; set before the answer completes. */
        volatile long freshUntil;

        boolean stale(long now) {
            return answer.isDone() && now - freshUntil > 0;
        }
    }

    public KeystoneTokenValidator(KeystoneClient keystone, Duration cacheTime, int cacheSize) {
        this(keystone, cacheTime, cacheSize, Clock.systemUTC());
    }

    KeystoneTokenValidator(KeystoneClient keystone, Duration cacheTime, int cacheSize, Clock clock) {
        this.keystone = keystone;
        this.cacheNanos = cacheTime.toNanos();
        this.clock = clock;
        this.entries = new LinkedHashMap<>(Math.min(cacheSize, 1024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /**
     * @return the token's details, or empty when Keystone does not accept the token
     * @throws KeystoneUnavailableException when Keystone cannot be asked
     */
    public Optional<KeystoneToken> validate(String token) {
        String key = digest(token);
        Entry entry;
        boolean mine = false;
        synchronized (entries) {
            entry = entries.get(key);
            if (entry == null || entry.stale(System.nanoTime())) {
                entry = new Entry();
                entries.put(key, entry);
                mine = true;
            }
        }
        if (mine) {
            ask(key, token, entry);
        }
        try {
            return entry.answer.get();
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new KeystoneUnavailableException("token validation failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeystoneUnavailableException("interrupted while validating a token", e);
        }
    }

    /** The Keystone client it asks (its counters tell how many validations reached Keystone). */
    public KeystoneClient keystone() {
        return keystone;
    }

    /** Answers kept now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private void ask(String key, String token, Entry entry) {
        KeystoneToken answer;
        try {
            answer = keystone.validate(token);
        } catch (RuntimeException e) {
            synchronized (entries) {
                entries.remove(key, entry);
            }
            entry.answer.completeExceptionally(e);
            return;
        }
        long now = System.nanoTime();
        long fresh = cacheNanos;
        if (answer != null) {
            long untilExpiry = Duration.between(clock.instant(), answer.expiresAt()).toNanos();
            fresh = Math.min(fresh, Math.max(0, untilExpiry));
            if (!answer.expiresAt().isAfter(Instant.now(clock))) {
                answer = null; // expired while we asked
            }
        }
        entry.freshUntil = now + fresh;
        entry.answer.complete(Optional.ofNullable(answer));
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
