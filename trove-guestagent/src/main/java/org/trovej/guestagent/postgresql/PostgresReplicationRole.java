package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.guestagent.os.OsUser;

/**
 * The source's replication role {@value #USER}: REPLICATION, LOGIN, and EXECUTE on the four functions pg_rewind
 * reads the source with (not a superuser as in Trove). Its password is in {@value #PASSWORD_FILE} inside PGDATA, so
 * that it travels with the data (a promoted replica has it, as Trove's {@code .replpass}). The password is never
 * logged.
 */
final class PostgresReplicationRole {

    static final String USER = "replicator";
    /** The replication role's password, in PGDATA (mode 0600). */
    static final String PASSWORD_FILE = "trove_replication.pass";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(PostgresReplicationRole.class);

    private final PostgresSettings settings;

    PostgresReplicationRole(PostgresSettings settings) {
        this.settings = settings;
    }

    /**
     * The replication role and its password file: created when either is missing (a promoted replica has both, as
     * replicated data; a source restored from a backup of a source too). Answers the password.
     */
    String ensure(Connection c) throws SQLException {
        Path file = settings.pgData().resolve(PASSWORD_FILE);
        String password = readPasswordFile(file);
        boolean exists;
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            s.setString(1, USER);
            try (ResultSet rs = s.executeQuery()) {
                exists = rs.next();
            }
        }
        if (password != null && exists) {
            return password;
        }
        if (password == null) {
            password = randomPassword(32);
            OsUser.writeFile(file, password + "\n", settings.runAs(), "rw-------");
        }
        // a SCRAM verifier: the plain text never reaches the server, its log or pg_stat_activity
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        try (Statement s = c.createStatement()) {
            s.execute((exists ? "ALTER" : "CREATE") + " ROLE " + USER + " WITH REPLICATION LOGIN NOSUPERUSER "
                    + "PASSWORD " + PostgresAdmin.literal(verifier));
            // what pg_rewind reads the new source with, when an old source is demoted (PostgreSQL's documented
            // least privilege for it): no superuser needed
            s.execute("GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean), "
                    + "pg_catalog.pg_stat_file(text, boolean), pg_catalog.pg_read_binary_file(text), "
                    + "pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO " + USER);
        }
        log.info("Replication role {} {}", USER, exists ? "given a new password" : "created");
        return password;
    }

    /** A one-line password file's password (this role's, or the agent's), or null when missing or empty. */
    static String readPasswordFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            String text = Files.readString(file).strip();
            return text.isEmpty() ? null : text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String randomPassword(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
