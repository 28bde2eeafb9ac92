package org.trovej.taskmanager.flow;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.trovej.common.rpc.RpcRetryLater;

/**
 * An operation that finds its instance held by a one-call flow (stop_db, restart) waits for it: the guest has
 * already reported that flow's outcome, so a user may rightly act on it a moment before the flow closes. The other
 * answers (fault when busy with a long flow, run when claimed) are covered end to end by the local tests.
 */
class ClaimOutcomesTest {

    private final ClaimOutcomes reboot = new ClaimOutcomes("reboot", "reboot", null,
            LoggerFactory.getLogger(ClaimOutcomesTest.class));

    @Test
    void anOperationArrivingWhileAStopDbFinishesIsHandedBackToBeRetried() {
        assertThatThrownBy(() -> reboot.handle("i-1", new Claim.Busy(GuestCall.STOP_DB, GuestCall.STOP_DB, false),
                run -> {
                    throw new AssertionError("must not run");
                }))
                .isInstanceOf(RpcRetryLater.class).hasMessageContaining("waits for stop_db");
        assertThatThrownBy(() -> reboot.handle("i-1", new Claim.Busy(GuestCall.RESTART, GuestCall.RESTART, false),
                run -> {
                    throw new AssertionError("must not run");
                }))
                .isInstanceOf(RpcRetryLater.class).hasMessageContaining("waits for restart");
    }

    @Test
    void onlyTheOneCallFlowsAreGuestCalls() {
        assertThatThrownBy(() -> new GuestCall("resize", "resize", false, "x", false, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
