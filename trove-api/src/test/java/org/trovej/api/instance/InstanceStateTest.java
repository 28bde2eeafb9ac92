package org.trovej.api.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.trovej.common.status.InstanceTask;
import org.trovej.common.status.ServiceStatus;

class InstanceStateTest {

    private static final Duration EXPIRY = Duration.ofSeconds(90);
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 1, 1, 12, 0);

    @Test
    void heartbeatsExpireOnlyWithoutATaskAndWithoutAPendingRestart() {
        assertThat(InstanceState.liveStatus(InstanceTask.NONE, ServiceStatus.HEALTHY, NOW.minusSeconds(89), EXPIRY, NOW))
                .isEqualTo(ServiceStatus.HEALTHY);
        assertThat(InstanceState.liveStatus(InstanceTask.NONE, ServiceStatus.HEALTHY, NOW.minusSeconds(90), EXPIRY, NOW))
                .isEqualTo(ServiceStatus.FAILED_TIMEOUT_GUESTAGENT);
        assertThat(InstanceState.liveStatus(InstanceTask.NONE, ServiceStatus.HEALTHY, null, EXPIRY, NOW))
                .isEqualTo(ServiceStatus.FAILED_TIMEOUT_GUESTAGENT);
        assertThat(InstanceState.liveStatus(InstanceTask.RESIZING, ServiceStatus.HEALTHY, NOW.minusDays(1), EXPIRY,
                NOW)).isEqualTo(ServiceStatus.HEALTHY);
        assertThat(InstanceState.liveStatus(InstanceTask.NONE, ServiceStatus.RESTART_REQUIRED, NOW.minusDays(1), EXPIRY,
                NOW)).isEqualTo(ServiceStatus.RESTART_REQUIRED);
    }

    @Test
    void anUnknownTaskCodeFallsThroughToTheServerStatus() {
        InstanceState state = new InstanceState(InstanceTask.fromCode(0x77), "ACTIVE", ServiceStatus.HEALTHY, false);

        assertThat(state.status()).isEqualTo("ACTIVE");
        assertThat(state.operatingStatus()).isEmpty();
        assertThat(new InstanceState(InstanceTask.NONE, "VERIFY_RESIZE", ServiceStatus.HEALTHY, false).status())
                .isEqualTo("RESIZE");
        assertThat(new InstanceState(InstanceTask.UPDATING, "ACTIVE", ServiceStatus.HEALTHY, false).status())
                .isEqualTo("ACTIVE");
    }

    @Test
    void hrefsAreReducedToTheirLastPathSegment() {
        assertThat(CreateRequestReader.idFromHref(new TextNode("https://h:8779/v1.0/p/flavors/7?x=1#f"))).isEqualTo("7");
        assertThat(CreateRequestReader.idFromHref(new TextNode("flavors/d2"))).isEqualTo("d2");
        assertThat(CreateRequestReader.idFromHref(new TextNode("3"))).isEqualTo("3");
        assertThat(CreateRequestReader.idFromHref(new com.fasterxml.jackson.databind.node.IntNode(5))).isEqualTo("5");
    }
}
