package org.trovej.guestagent.mysql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** MySQL-family password hashing done by the agent, so that plain passwords need not travel to the server. */
final class NativePassword {

    private NativePassword() {
    }

    /**
     * The {@code mysql_native_password} hash of a password ({@code *} and the upper-case hex of
     * SHA1(SHA1(password))): what the server stores, so the plain text need not be sent to it.
     */
    static String hash(String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] twice = MessageDigest.getInstance("SHA-1").digest(once);
            return "*" + HexFormat.of().formatHex(twice).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
