package org.trovej.taskmanager.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.trovej.common.json.PythonJson;

/** Which replica is ahead: LSNs and GTID positions compared by what they mean, not as strings. */
class TxnPositionTest {

    @Test
    void lsnsCompareByTheirTwoHalves() {
        assertThat(TxnPosition.order("0/9")).isLessThan(TxnPosition.order("0/10"));
        assertThat(TxnPosition.order("1/0")).isGreaterThan(TxnPosition.order("0/FFFFFFFF"));
        assertThat(TxnPosition.order("16/B374D848")).isEqualTo(BigInteger.valueOf(0x16L << 32 | 0xB374D848L));
    }

    @Test
    void gtidPositionsCompareByTheirSequenceNumbersOverAllDomains() {
        assertThat(TxnPosition.order("0-1-9")).isLessThan(TxnPosition.order("0-1-10"));
        assertThat(TxnPosition.order("0-1-57,1-2-3")).isEqualTo(BigInteger.valueOf(60));
        assertThat(TxnPosition.order("")).isEqualTo(BigInteger.ZERO);
        assertThatThrownBy(() -> TxnPosition.order("0-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGuestsLastTxnAnswerIsReadAsSourceAndPosition() {
        var reply = PythonJson.array();
        reply.add("source-uuid");
        reply.add("0/3000060");
        TxnPosition position = TxnPosition.fromLastTxn(reply);
        assertThat(position.sourceId()).isEqualTo("source-uuid");
        assertThat(position.compareTo(TxnPosition.fromLastTxn(PythonJson.array().addNull().add("0/3000000"))))
                .isPositive();
        assertThatThrownBy(() -> TxnPosition.fromLastTxn(PythonJson.object()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
