package org.trovej.guestagent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class DigestingInputStreamTest {

    private static final byte[] DATA = "the bytes of a backup, read in pieces".getBytes();

    @Test
    void digestsAndCountsWhatPasses() throws Exception {
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(DATA));
        in.readNBytes(5);
        assertThat(in.read()).isEqualTo(DATA[5]);
        in.readAllBytes();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.ended()).isTrue();
        assertThat(in.count()).isEqualTo(DATA.length);
        assertThat(in.md5Hex()).isEqualTo(hex("MD5"));
        assertThat(in.sha256Hex()).isEqualTo(hex("SHA-256"));
    }

    @Test
    void aCountingStreamCountsAndKeepsTheFailureButHasNoDigests() throws Exception {
        DigestingInputStream in = DigestingInputStream.counting(new ByteArrayInputStream(DATA));
        in.read();
        in.readAllBytes();
        assertThat(in.ended()).isTrue();
        assertThat(in.count()).isEqualTo(DATA.length);
        assertThatThrownBy(in::md5Hex).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(in::sha256Hex).isInstanceOf(IllegalStateException.class);

        DigestingInputStream failing = DigestingInputStream.counting(new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("pg_basebackup failed");
            }
        });
        assertThatThrownBy(failing::read).hasMessage("pg_basebackup failed");
        assertThat(failing.failure()).hasMessage("pg_basebackup failed");
    }

    private static String hex(String algorithm) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(DATA));
    }
}
