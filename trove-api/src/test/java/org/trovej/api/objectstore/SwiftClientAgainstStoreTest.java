package org.trovej.api.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.trovej.common.objectstore.ObjectInfo;
import org.trovej.common.objectstore.SloSegment;
import org.trovej.common.objectstore.SwiftAccount;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.service.objectstore.StoreTokens;

/**
 * trove-common's {@link SwiftClient} (what the guest agent uses) against this store, with a grant as the guest
 * gets one: one client, proven against one server.
 */
class SwiftClientAgainstStoreTest extends StoreIntegrationTest {

    private static final int MB = 1024 * 1024;

    @Autowired
    private StoreTokens tokens;

    private SwiftAccount guestAccount(String prefix) {
        return new SwiftClient().account(URI.create(store.base() + account()),
                tokens.mint(project, prefix, Duration.ofMinutes(10)));
    }

    @Test
    void streamsA20MegabyteObjectBothWays() throws Exception {
        SwiftAccount swift = guestAccount("database_backups/b1");
        swift.ensureContainer("database_backups");
        swift.ensureContainer("database_backups");

        String etag = swift.put("database_backups", "b1.tar.gz", new PatternStream(20 * MB, 11),
                Map.of("Datastore", "postgresql", "Backup-Type", "full"));
        String expected = md5Of(new PatternStream(20 * MB, 11));
        assertThat(etag).isEqualTo(expected);

        Optional<ObjectInfo> info = swift.head("database_backups", "b1.tar.gz");
        assertThat(info).isPresent();
        assertThat(info.get().etag()).isEqualTo(expected);
        assertThat(info.get().length()).isEqualTo(20L * MB);
        assertThat(info.get().meta("Datastore")).isEqualTo("postgresql");
        assertThat(info.get().meta("backup-type")).isEqualTo("full");
        assertThat(info.get().sloManifest()).isFalse();

        try (InputStream in = swift.get("database_backups", "b1.tar.gz")) {
            assertThat(md5Of(in)).isEqualTo(expected);
        }
        assertThat(swift.list("database_backups", "b1")).containsExactly("b1.tar.gz");
        swift.delete("database_backups", "b1.tar.gz");
        assertThat(swift.head("database_backups", "b1.tar.gz")).isEmpty();
    }

    @Test
    void staticLargeObjectOfThreeSegments() throws Exception {
        SwiftAccount swift = guestAccount("database_backups/b2");
        swift.ensureContainer("database_backups");
        List<SloSegment> segments = new ArrayList<>();
        MessageDigest whole = MessageDigest.getInstance("MD5");
        StringBuilder etags = new StringBuilder();
        int[] sizes = {3 * MB, 3 * MB, MB / 2};
        for (int i = 0; i < sizes.length; i++) {
            String name = String.format("b2.tar.gz_%08d", i + 1);
            String etag = swift.put("database_backups", name, new PatternStream(sizes[i], 20 + i), Map.of());
            segments.add(SloSegment.of("database_backups", name, etag, sizes[i]));
            etags.append(etag);
            try (InputStream part = new PatternStream(sizes[i], 20 + i)) {
                whole.update(part.readAllBytes());
            }
        }
        String manifestEtag = swift.putManifest("database_backups", "b2.tar.gz", segments,
                Map.of("Sha256", "abc", "Md5", HexFormat.of().formatHex(whole.digest())));
        assertThat(manifestEtag).isEqualTo(md5Of(new java.io.ByteArrayInputStream(
                etags.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII))));

        ObjectInfo info = swift.head("database_backups", "b2.tar.gz").orElseThrow();
        assertThat(info.sloManifest()).isTrue();
        assertThat(info.length()).isEqualTo(6L * MB + MB / 2);
        assertThat(info.etag()).isEqualTo(manifestEtag);
        try (InputStream in = swift.get("database_backups", "b2.tar.gz")) {
            assertThat(md5Of(in)).isEqualTo(info.meta("md5"));
        }
        assertThat(swift.list("database_backups", "b2")).hasSize(4);

        swift.delete("database_backups", "b2.tar.gz");
        assertThat(swift.list("database_backups", "b2")).isEmpty();
    }

    @Test
    void oneSegmentBackupIsCopiedToItsName() throws Exception {
        SwiftAccount swift = guestAccount("database_backups/b3");
        swift.ensureContainer("database_backups");
        String etag = swift.put("database_backups", "b3.tar.gz_00000001", new PatternStream(MB, 30), Map.of());
        assertThat(swift.copy("database_backups", "b3.tar.gz_00000001", "b3.tar.gz", Map.of("Sha256", "x")))
                .isEqualTo(etag);
        assertThat(swift.head("database_backups", "b3.tar.gz").orElseThrow().meta("sha256")).isEqualTo("x");
    }

    private static String md5Of(InputStream in) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            md5.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /** {@code length} pseudo-random bytes made as they are read: no whole object in the test's memory either. */
    private static final class PatternStream extends InputStream {
        private long remaining;
        private long state;

        PatternStream(long length, long seed) {
            this.remaining = length;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            remaining -= n;
            return n;
        }
    }
}
