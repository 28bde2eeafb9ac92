package org.trovej.guestagent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritebackWhileRestoringTest {

    @TempDir
    Path temp;

    @Test
    void flushesTheFilesystemWhileOpenAndStopsPromptlyWhenClosed() throws Exception {
        WritebackWhileRestoring writeback = WritebackWhileRestoring.start(temp);
        for (int i = 0; i < 20; i++) {
            Files.write(temp.resolve("f" + i), new byte[256 * 1024]);
            Thread.sleep(50);
        }
        long t0 = System.nanoTime();
        writeback.close();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to stop").isLessThan(2_000);
        assertThat(writeback.flushes()).as("flushes in ~1 s at one per 200 ms").isBetween(2, 10);
        int after = writeback.flushes();
        Thread.sleep(500);
        assertThat(writeback.flushes()).as("none after close").isEqualTo(after);
    }

    @Test
    void aDirectoryItCannotFlushMakesItGiveUpQuietly() throws Exception {
        try (WritebackWhileRestoring writeback = WritebackWhileRestoring.start(temp.resolve("not-there"))) {
            Thread.sleep(300);
            assertThat(writeback.flushes()).isZero();
        }
    }
}
