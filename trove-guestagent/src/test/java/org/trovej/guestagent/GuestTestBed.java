package org.trovej.guestagent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.guestagent.backup.BackupRunner;
import org.trovej.guestagent.backup.DirectoryBackupStore;
import org.trovej.testsupport.TestInfrastructure;

/**
 * What the guest tests that drive several agents through their RPC API share: a temporary base directory (searchable
 * by the databases' OS user), an exchange of their own on the test broker, the task manager's RPC client, a
 * {@link RecordingConductor}, a directory object store for backups, and, when asked, everything written to stderr
 * (the agents' logs) captured, for the tests that look for passwords in logs. Closing it restores stderr and removes
 * the directory; the tests clean up their own instances first.
 */
final class GuestTestBed implements AutoCloseable {

    /** Sees each store an agent opens (its swift_url, token and container) before the directory store is made. */
    @FunctionalInterface
    interface StoreCheck {
        void opened(String swiftUrl, String token, String container);
    }

    final String exchange;
    final Path base;
    final Path storeDir;
    final RpcTransport transport;
    final RpcClient taskManager;
    final RecordingConductor conductor;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream originalErr;

    /** @param name names the temporary directory, the exchange and the broker connection */
    GuestTestBed(String name, boolean captureStderr) throws Exception {
        exchange = "trove_" + name + "_" + UUID.randomUUID().toString().substring(0, 8);
        originalErr = System.err;
        if (captureStderr) {
            System.setErr(new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    originalErr.write(b);
                    synchronized (captured) {
                        captured.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    originalErr.write(b, off, len);
                    synchronized (captured) {
                        captured.write(b, off, len);
                    }
                }
            }, true, StandardCharsets.UTF_8));
        }
        base = Files.createTempDirectory("trove-" + name + "-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        storeDir = base.resolve("store");
        transport = RpcTransport.connect(TestInfrastructure.get().amqpUri(), exchange, name + "-test",
                Duration.ofSeconds(20));
        taskManager = new RpcClient(transport);
        conductor = new RecordingConductor(transport);
    }

    /** What stderr received since the bed was made (empty unless it captures). */
    String capturedStderr() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Gives an agent a state directory of its own under the base and the backup encryption key, plus
     * {@code extraDefaults} lines, in the DEFAULT section of its trove-guestagent.conf.
     */
    void configureBackups(Path configDir, String instanceId, String encryptionKey, String... extraDefaults)
            throws IOException {
        StringBuilder lines = new StringBuilder("[DEFAULT]\n")
                .append("state_dir = ").append(base.resolve(instanceId).resolve("state")).append('\n')
                .append("backup_encryption_key = ").append(encryptionKey).append('\n');
        for (String line : extraDefaults) {
            lines.append(line).append('\n');
        }
        Path conf = configDir.resolve("trove-guestagent.conf");
        Files.writeString(conf, Files.readString(conf).replaceFirst("\\[DEFAULT]\n",
                java.util.regex.Matcher.quoteReplacement(lines.toString())));
    }

    /** The agents' backup stores: each container a directory under {@link #storeDir}. */
    BackupRunner.StoreFactory directoryStores(StoreCheck check) {
        return (swiftUrl, token, container) -> {
            check.opened(swiftUrl, token, container);
            try {
                return new DirectoryBackupStore(storeDir, container);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public void close() throws Exception {
        System.setErr(originalErr);
        try {
            conductor.close();
            taskManager.close();
            transport.close();
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
