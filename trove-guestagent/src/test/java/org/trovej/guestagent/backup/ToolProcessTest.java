package org.trovej.guestagent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolProcessTest {

    @TempDir
    Path tmp;

    @Test
    void outputEndsInTheToolsOwnMessageWhenItFails() throws Exception {
        ToolProcess tool = ToolProcess.start("pg_basebackup", new ProcessBuilder("sh", "-c",
                "printf abc; echo 'pg_basebackup: error: connection refused' >&2; exit 3"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = tool.output()) {
            assertThatThrownBy(() -> in.transferTo(out)).isInstanceOf(IOException.class)
                    .hasMessage("pg_basebackup failed (exit 3): pg_basebackup: error: connection refused");
        }
        assertThat(out.toString()).isEqualTo("abc");
    }

    @Test
    void aToolEndedByASignalIsSaidToBeAndItsOwnSummaryOfItsMessagesIsTheReason() throws Exception {
        ToolProcess tool = ToolProcess.start("mariabackup", new ProcessBuilder("sh", "-c",
                "printf abc; echo 'Error: the real reason' >&2; echo 'shutting down' >&2; kill -KILL $$"),
                lines -> lines.get(0));
        try (InputStream in = tool.output()) {
            assertThatThrownBy(() -> in.transferTo(new ByteArrayOutputStream())).isInstanceOf(IOException.class)
                    .hasMessage("mariabackup failed (killed by signal 9): Error: the real reason");
        }
    }

    @Test
    void tarIsFedAnArchiveAndTheInputIsReadToItsEndEvenPastTarsEndOfArchive() throws Exception {
        Path from = Files.createDirectories(tmp.resolve("from"));
        byte[] content = new byte[200_000];
        new Random(3).nextBytes(content);
        Files.write(from.resolve("PG_VERSION"), "15\n".getBytes());
        Files.write(from.resolve("base.dat"), content);
        Path archive = tmp.resolve("a.tar");
        assertThat(new ProcessBuilder("tar", "-c", "-f", archive.toString(), "-C", from.toString(), ".")
                .start().waitFor()).isZero();
        ByteArrayOutputStream withPadding = new ByteArrayOutputStream();
        withPadding.write(Files.readAllBytes(archive));
        withPadding.write(new byte[3_000_000]); // zeros after the end-of-archive blocks
        Path into = Files.createDirectories(tmp.resolve("into"));
        ByteArrayInputStream input = new ByteArrayInputStream(withPadding.toByteArray());

        ToolProcess.start("tar", new ProcessBuilder("tar", "-x", "-f", "-", "-C", into.toString())).feed(input);

        assertThat(Files.readAllBytes(into.resolve("base.dat"))).isEqualTo(content);
        assertThat(input.available()).as("everything was read").isZero();
    }

    @Test
    void aToolThatFailsWhileFedFailsWithItsMessage() throws Exception {
        ToolProcess tool = ToolProcess.start("tar", new ProcessBuilder("sh", "-c",
                "head -c 1000 >/dev/null; echo 'tar: Cannot open: Permission denied' >&2; exit 2"));

        assertThatThrownBy(() -> tool.feed(new ByteArrayInputStream(new byte[5_000_000])))
                .isInstanceOf(IOException.class).hasMessage("tar failed (exit 2): tar: Cannot open: Permission denied");
    }

    @Test
    void aFailingInputStopsTheToolAndIsThrownAsItIs() throws Exception {
        ToolProcess tool = ToolProcess.start("tar", new ProcessBuilder("sh", "-c", "cat >/dev/null"));
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the backup does not decrypt with the configured key");
            }
        };

        assertThatThrownBy(() -> tool.feed(failing)).hasMessage("the backup does not decrypt with the configured key");
    }
}
