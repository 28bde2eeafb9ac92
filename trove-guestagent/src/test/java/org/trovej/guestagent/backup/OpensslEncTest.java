package org.trovej.guestagent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stored format is exactly what Trove's restore reads: the real {@code openssl enc -d} with Trove's options
 * decrypts it and {@code gzip -d} gives back the input; and what the real {@code openssl enc} wrote (a Trove
 * backup) restores through our pipeline.
 */
class OpensslEncTest {

    private static final String KEY = "Trove-backup key/with+odd=chars";

    @TempDir
    Path tmp;

    private static byte[] input() {
        byte[] data = new byte[700_001];
        new Random(42).nextBytes(data);
        for (int i = 0; i < data.length; i += 3) {
            data[i] = 'x';
        }
        return data;
    }

    @Test
    void opensslCliDecryptsWhatThePipelineStored() throws Exception {
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        byte[] input = input();
        // Trove's format end to end: openssl enc | gzip -d
        new BackupPipeline(store, BackupCompression.GZIP, KEY, Long.MAX_VALUE)
                .store(new ByteArrayInputStream(input), "b.tar.gz.enc", Map.of());

        Path decrypted = tmp.resolve("b.tar.gz");
        run(List.of("openssl", "enc", "-d", "-aes-256-cbc", "-md", "sha512", "-pbkdf2", "-iter", "10000", "-salt",
                "-pass", "pass:" + KEY, "-in", store.file("b.tar.gz.enc").toString(), "-out", decrypted.toString()));
        run(List.of("gzip", "-d", decrypted.toString()));

        assertThat(Files.readAllBytes(tmp.resolve("b.tar"))).isEqualTo(input);
    }

    @Test
    void thePipelineRestoresWhatOpensslCliEncrypted() throws Exception {
        byte[] input = input();
        Path plain = tmp.resolve("plain");
        Files.write(plain, input);
        run(List.of("gzip", "-k", plain.toString()));
        DirectoryBackupStore store = new DirectoryBackupStore(tmp, "c");
        run(List.of("openssl", "enc", "-aes-256-cbc", "-md", "sha512", "-pbkdf2", "-iter", "10000", "-salt",
                "-pass", "pass:" + KEY, "-in", tmp.resolve("plain.gz").toString(),
                "-out", store.file("t.tar.gz.enc").toString()));
        Files.writeString(store.file("t.tar.gz.enc.meta"), "{}");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RestorePipeline(KEY).restore("t", store, "t.tar.gz.enc",
                BackupPipelineTest.hex("MD5", Files.readAllBytes(store.file("t.tar.gz.enc"))),
                tar -> tar.transferTo(out));

        assertThat(out.toByteArray()).isEqualTo(input);
    }

    @Test
    void eachBackupHasItsOwnSalt() throws Exception {
        byte[] first;
        byte[] second;
        try (InputStream a = OpensslEnc.encrypting(new ByteArrayInputStream(new byte[100]), KEY);
             InputStream b = OpensslEnc.encrypting(new ByteArrayInputStream(new byte[100]), KEY)) {
            first = a.readAllBytes();
            second = b.readAllBytes();
        }
        assertThat(first).hasSize(16 + 112).isNotEqualTo(second);
        try (InputStream back = OpensslEnc.decrypting(new ByteArrayInputStream(first), KEY)) {
            assertThat(back.readAllBytes()).isEqualTo(new byte[100]);
        }
    }

    @Test
    void theCommandAndTheJdkWriteAndReadTheSameFormat() throws Exception {
        byte[] input = input();
        byte[] byCommand;
        try (InputStream in = OpensslEnc.throughCommand(new ByteArrayInputStream(input), KEY, false)) {
            byCommand = in.readAllBytes();
        }
        byte[] byJdk;
        try (InputStream in = OpensslEnc.inJava(new ByteArrayInputStream(input), KEY)) {
            byJdk = in.readAllBytes();
        }
        try (InputStream back = OpensslEnc.outOfJava(new ByteArrayInputStream(byCommand), KEY)) {
            assertThat(back.readAllBytes()).isEqualTo(input);
        }
        try (InputStream back = OpensslEnc.throughCommand(new ByteArrayInputStream(byJdk), KEY, true)) {
            assertThat(back.readAllBytes()).isEqualTo(input);
        }
    }

    @Test
    void theCommandRefusesAWrongKeyAndNeverShowsTheKey() throws Exception {
        byte[] sealed;
        try (InputStream in = OpensslEnc.throughCommand(new ByteArrayInputStream(input()), KEY, false)) {
            sealed = in.readAllBytes();
        }
        assertThatThrownBy(() -> {
            try (InputStream back = OpensslEnc.throughCommand(new ByteArrayInputStream(sealed), "another key", true)) {
                back.readAllBytes();
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("does not decrypt with the configured key")
                .hasMessageNotContaining("another key").hasMessageNotContaining(KEY);
    }

    @Test
    void aFailingInputFailsTheCommandsOutputWithThatFailureNeverWithAWholeLookingEnd() throws Exception {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(input()), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("pg_basebackup died");
            }
        });
        try (InputStream in = OpensslEnc.throughCommand(failing, KEY, false)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessage("pg_basebackup died");
        }
    }

    @Test
    void closingEarlyStopsTheCommand() throws Exception {
        InputStream endless = new EndlessInput();
        long t0 = System.nanoTime();
        try (InputStream in = OpensslEnc.throughCommand(endless, KEY, false)) {
            assertThat(in.readNBytes(1_000_000)).hasSize(1_000_000);
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(10_000);
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command.subList(0, 2)) + ": " + output).isZero();
    }
}
