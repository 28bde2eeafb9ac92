package org.trovej.taskmanager.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.trovej.taskmanager.compute.local.LocalLayout;

/**
 * The key guests encrypt backups with (Trove's {@code backup_encryption_key}, written into every new guest's
 * {@code trove-guestagent.conf}): {@code trovej.backup.encryption-key} when set; else, on the local back end, a
 * random key generated once and kept in {@code <local state dir>/backup-encryption-key} (mode 0600), so that backups
 * stay readable across restarts and by every later instance restoring them; else none, and guests store backups
 * unencrypted. Never logged.
 */
@Component
public class BackupEncryptionKey {

    static final String FILE = "backup-encryption-key";

    private final String configured;
    private final ObjectProvider<LocalLayout> local;
    private volatile Optional<String> key;

    public BackupEncryptionKey(BackupProperties properties, ObjectProvider<LocalLayout> local) {
        this.configured = properties.encryptionKey();
        this.local = local;
    }

    public Optional<String> value() {
        Optional<String> known = key;
        if (known == null) {
            synchronized (this) {
                if (key == null) {
                    key = resolve();
                }
                known = key;
            }
        }
        return known;
    }

    private Optional<String> resolve() {
        if (configured != null) {
            return Optional.of(configured);
        }
        LocalLayout layout = local.getIfAvailable();
        return layout == null ? Optional.empty() : Optional.of(keptIn(layout.stateDir().resolve(FILE)));
    }

    /** The key in {@code file}, made there first if there is none (created private, never readable by others). */
    static String keptIn(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                Path tmp = file.resolveSibling(FILE + "." + ProcessHandle.current().pid() + ".tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, fresh + "\n");
                try {
                    // a link, not a move: of two task managers making one at once, the first wins and both read it
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException e) {
                    // the other one's key stands
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (text.isEmpty()) {
                throw new IllegalStateException(file + " is empty: delete it, or set trovej.backup.encryption-key "
                        + "(backups made with the lost key cannot be restored)");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the backup encryption key in " + file, e);
        }
    }
}
