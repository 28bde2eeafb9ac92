package org.trovej.guestagent.datastore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.trovej.guestagent.os.OsUser;

/**
 * The password of the agent's own admin account ({@value #ADMIN_USER}, in every engine), kept beside the data
 * it opens (so it survives the agent and the VM being rebuilt around the volume) in a file only the agent's
 * user can read, in the {@code [client] user/password} form of Trove's {@code os_admin.cnf} (which the MySQL
 * clients' {@code --defaults-extra-file} read too).
 */
public final class AdminCredentials {

    /** The agent's account in the datastore, as Trove names it. */
    public static final String ADMIN_USER = "os_admin";

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminCredentials() {
    }

    /** The stored password, or null when there is none yet. */
    public static String read(Path file) {
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
    public static String create(Path file) {
        return store(file, randomPassword(32));
    }

    /**
     * Stores {@code password} as the agent's (a replica adopts its source's: its data, roles included, is the
     * source's and read-only).
     */
    public static String store(Path file, String password) {
        OsUser.writeFile(file, "[client]\nuser = " + ADMIN_USER + "\npassword = " + password + "\n", null, "rw-------");
        return password;
    }

    private static String randomPassword(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /**
     * The password of one volume's credentials file, read once and kept (a supplier for the engine's admin
     * connections); {@link #remember} records a password just created, before the file is read back.
     */
    public static final class Cached implements java.util.function.Supplier<String> {

        private final Path file;
        private volatile String password;

        public Cached(Path file) {
            this.file = file;
        }

        @Override
        public String get() {
            String current = password;
            if (current == null) {
                current = read(file);
                if (current == null) {
                    throw new GuestError("The agent's admin credentials (" + file + ") are missing");
                }
                password = current;
            }
            return current;
        }

        public void remember(String value) {
            password = value;
        }
    }
}
