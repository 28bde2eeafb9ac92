package org.trovej.api.objectstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.api.support.ApiIntegrationTest;

/**
 * The API with its object store in a directory of its own (one for every store test class, so they share one
 * Spring context), a fresh project per test, and a noauth token (any token that is not a store grant).
 */
abstract class StoreIntegrationTest extends ApiIntegrationTest {

    /** Holds the store's directory and, beside it, a directory nothing may ever be written to. */
    static final Path BASE = createBase();
    static final Path STORE_DIR = BASE.resolve("store");
    static final Path OUTSIDE = BASE.resolve("outside");

    @DynamicPropertySource
    static void storeDir(DynamicPropertyRegistry registry) {
        registry.add("trovej.object-store.local.dir", STORE_DIR::toString);
    }

    protected String project;
    protected Store store;

    @BeforeEach
    void freshProject() {
        project = UUID.randomUUID().toString().replace("-", "");
        store = new Store(port, "any-token");
    }

    protected String account() {
        return "/v1/AUTH_" + project;
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(int length, int seed) {
        byte[] data = new byte[length];
        new java.util.Random(seed).nextBytes(data);
        return data;
    }

    private static void removeTree(Path base) {
        try (java.util.stream.Stream<Path> files = Files.walk(base)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    private static Path createBase() {
        try {
            Path base = Files.createTempDirectory("trovej-objectstore-test");
            Files.createDirectories(base.resolve("outside"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeTree(base), "objectstore-test-cleanup"));
            return base;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
