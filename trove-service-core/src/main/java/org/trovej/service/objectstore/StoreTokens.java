package org.trovej.service.objectstore;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.trovej.service.TroveProperties;

/**
 * Short-lived grants to one prefix of one project's account (and read access to a few more) in TroveJ's local object store, handed to a guest as
 * the RPC context's {@code auth_token} (the token Trove's guest sends to Swift as {@code X-Auth-Token}). The task
 * manager mints one per backup or restore; the store accepts it for paths under the prefix only, until it
 * expires, and for reading paths under the read-only prefixes (an incremental's parents). Signed with HMAC-SHA256 under a key derived from {@code inst_rpc_key_encr_key}, a secret every
 * control-plane service already holds, so no new secret has to be distributed.
 * <p>
 * Form: {@code tjs1.<project>.<expires epoch s>.<base64url prefixes>.<hex signature>}, the prefixes joined by
 * newlines, the writable one first.
 */
@Component
public class StoreTokens {

    private static final String PREFIX = "tjs1.";

    private final byte[] key;
    private final Clock clock;

    @Autowired
    public StoreTokens(TroveProperties properties) {
        this(properties.keys().instRpcKeyEncrKey(), Clock.systemUTC());
    }

    StoreTokens(String secret, Clock clock) {
        this.key = hmac(secret.getBytes(StandardCharsets.UTF_8),
                "trovej object store tokens".getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    /** A grant to {@code <container>/<objectPrefix>} (every object whose path starts so) of the project. */
    public String mint(String project, String pathPrefix, Duration ttl) {
        return mint(project, pathPrefix, List.of(), ttl);
    }

    /** The same, and read access to every object whose path starts with one of {@code readPrefixes}. */
    public String mint(String project, String pathPrefix, List<String> readPrefixes, Duration ttl) {
        if (project == null || project.contains(".") || !usable(pathPrefix)
                || !readPrefixes.stream().allMatch(StoreTokens::usable)) {
            throw new IllegalArgumentException("a store grant needs a project without dots and path prefixes");
        }
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String prefixes = String.join("\n", java.util.stream.Stream.concat(java.util.stream.Stream.of(pathPrefix),
                readPrefixes.stream()).toList());
        String body = PREFIX + project + "." + expires + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(prefixes.getBytes(StandardCharsets.UTF_8));
        return body + "." + HexFormat.of().formatHex(hmac(key, body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The grant a token carries, if it is one of ours, intact and not expired. */
    public Optional<StoreGrant> verify(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 5) {
            return Optional.empty();
        }
        String body = token.substring(0, token.lastIndexOf('.'));
        byte[] expected = hmac(key, body.getBytes(StandardCharsets.UTF_8));
        byte[] given;
        try {
            given = HexFormat.of().parseHex(parts[4]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(expected, given)) {
            return Optional.empty();
        }
        long expires;
        List<String> prefixes;
        try {
            expires = Long.parseLong(parts[2]);
            prefixes = List.of(new String(Base64.getUrlDecoder().decode(parts[3]), StandardCharsets.UTF_8)
                    .split("\n"));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Instant until = Instant.ofEpochSecond(expires);
        if (!clock.instant().isBefore(until)) {
            return Optional.empty();
        }
        return Optional.of(new StoreGrant(parts[1], prefixes.get(0), prefixes.subList(1, prefixes.size()), until));
    }

    private static boolean usable(String prefix) {
        return prefix != null && !prefix.isEmpty() && prefix.indexOf('\n') < 0;
    }

    /**
     * What a valid token allows: everything on objects of the project's account whose {@code container/object}
     * path starts with {@code pathPrefix} (and on its container), reading those under {@code readPrefixes}.
     */
    public record StoreGrant(String project, String pathPrefix, List<String> readPrefixes, Instant expires) {

        public StoreGrant {
            readPrefixes = List.copyOf(readPrefixes);
        }

        /** Any method on the container ({@code object} null) or the object. */
        public boolean allows(String project, String container, String object) {
            String path = object == null ? container : container + "/" + object;
            return this.project.equals(project) && (path.startsWith(pathPrefix)
                    || object == null && pathPrefix.startsWith(container + "/"));
        }

        /** GET and HEAD of the object. */
        public boolean allowsRead(String project, String container, String object) {
            return allows(project, container, object) || object != null && this.project.equals(project)
                    && readPrefixes.stream().anyMatch((container + "/" + object)::startsWith);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
