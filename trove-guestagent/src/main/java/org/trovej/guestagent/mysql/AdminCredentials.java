package org.trovej.guestagent.mysql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

import org.trovej.guestagent.os.OsUser;

/**
 * The password of the agent's {@code os_admin} account, kept beside the data it opens (it survives the agent
 * and the VM being rebuilt around the volume) in Trove's {@code os_admin.cnf} form ({@code [client] user,
 * password}, so {@code mariadb --defaults-extra-file} can use it too), readable by the agent's user only.
 */
final class AdminCredentials {

    static final String ADMIN_USER = "os_admin";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminCredentials() {
    }

    /** The stored password, or null when there is none yet. */
    static String read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.startsWith("password")) {
                    int eq = trimmed.indexOf('=');
                    if (eq > 0) {
                        return trimmed.substring(eq + 1).strip();
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Creates a new random password and stores it (mode 0600, the agent's user). */
    static String create(Path file) {
        StringBuilder password = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        OsUser.writeFile(file, "[client]\nuser = " + ADMIN_USER + "\npassword = " + password + "\n", null,
                "rw-------");
        return password.toString();
    }

    /**
     * The {@code mysql_native_password} hash of a password ({@code *} and the upper-case hex of
     * SHA1(SHA1(password))): what the server stores, so the plain text need not be sent to it.
     */
    static String nativeHash(String password) {
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
