package org.trovej.api.support;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.api.ApiApplication;
import org.trovej.common.rpc.RpcTransport;

/**
 * The API on a random port against the real database and broker (one Spring context for all subclasses), with
 * a task manager topic of its own that {@link CastRecorder} consumes.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("api")
public abstract class ApiIntegrationTest {

    protected static final String TASKMANAGER_TOPIC = "taskmanager-apitest-" + UUID.randomUUID();
    /** Headers of an admin caller (noauth: the roles are whatever the request says). */
    protected static final String[] AS_ADMIN = {"X-Roles", "member,admin"};

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        org.trovej.testsupport.SpringTestProperties.register(registry);
        registry.add("trovej.rpc.taskmanager-queue", () -> TASKMANAGER_TOPIC);
        // guest calls of the database/user/root tests: a guest that does not answer fails the request quickly
        registry.add("trovej.guest.timeouts.low", () -> "2s");
        registry.add("trovej.guest.timeouts.high", () -> "3s");
        // the caller is what the request's headers say (X-Roles); keystone mode has its own tests
        registry.add("trovej.auth.strategy", () -> "noauth");
        // objects the tests store (restores check that a backup's object exists) go to a temporary directory,
        // never into the checkout; the store tests name their own
        registry.add("trovej.state-dir", () -> STATE_DIR.toString());
    }

    private static final java.nio.file.Path STATE_DIR = temporaryStateDir();

    private static java.nio.file.Path temporaryStateDir() {
        try {
            return java.nio.file.Files.createTempDirectory("trovej-api-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    private RpcTransport transport;

    protected Api api;
    protected CastRecorder casts;

    @BeforeEach
    void startClientAndRecorder() {
        api = new Api(port);
        casts = CastRecorder.on(transport, TASKMANAGER_TOPIC);
        TestData.ensureDatastores(jdbc);
    }

    protected int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }
}
