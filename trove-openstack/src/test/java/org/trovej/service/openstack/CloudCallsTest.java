package org.trovej.service.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** What a cloud that does not answer does to a call: retried, then a failure that says so (no password in it). */
class CloudCallsTest {

    @Test
    void aKeystoneThatDoesNotAnswerIsRetriedThenReported() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // free once closed: nothing listens there
        }
        OpenStackProperties properties = new OpenStackProperties("http://127.0.0.1:" + closedPort + "/v3", "trove",
                "Secret-Pass-1", null, null, null, null, List.of(), null, null, null, null, null, null, null, null,
                null, null, Duration.ofSeconds(2), Duration.ofSeconds(2), null);
        CloudCalls calls = new CloudCalls(new OpenStackSession(properties), 3, Duration.ofMillis(50));
        AtomicInteger reached = new AtomicInteger();
        long started = System.nanoTime();
        assertThatThrownBy(() -> calls.call("list servers", os -> reached.incrementAndGet()))
                .isInstanceOf(CloudException.class)
                .hasMessageContaining("list servers")
                .hasMessageContaining("cannot be reached")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Secret-Pass-1"));
        assertThat(reached).as("the call never ran without a session").hasValue(0);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("two back-offs of 50 and 100 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void theBackEndRefusesToStartWithoutItsSettings() {
        OpenStackProperties missing = new OpenStackProperties(null, "trove", "x", null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> new OpenStackSession(missing)).isInstanceOf(IllegalStateException.class)
                .hasMessage("trovej.compute.backend=openstack needs trovej.openstack.auth-url");
    }
}
