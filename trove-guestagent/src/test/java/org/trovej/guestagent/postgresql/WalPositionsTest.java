package org.trovej.guestagent.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.trovej.guestagent.datastore.GuestError;

/** get_last_txn's position: an LSN X/Y as X * 2^32 + Y, which sorts where the LSN text does not. */
class WalPositionsTest {

    @Test
    void anLsnIsItsBytePosition() {
        assertThat(WalPositions.lsnBytes("0/3000060")).isEqualTo(0x3000060L);
        assertThat(WalPositions.lsnBytes("1/0")).isEqualTo(1L << 32);
        assertThat(WalPositions.lsnBytes("16/B374D848")).isEqualTo((0x16L << 32) + 0xB374D848L);
        // as text "0/9000000" > "0/10000000" and "0/FFFFFFFF" > "1/0": as numbers they sort right
        assertThat(WalPositions.lsnBytes("0/10000000")).isGreaterThan(WalPositions.lsnBytes("0/9000000"));
        assertThat(WalPositions.lsnBytes("1/0")).isGreaterThan(WalPositions.lsnBytes("0/FFFFFFFF"));
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> WalPositions.lsnBytes("3000060")).isInstanceOf(GuestError.class);
        assertThatThrownBy(() -> WalPositions.lsnBytes("0/xyz")).isInstanceOf(GuestError.class);
        assertThatThrownBy(() -> WalPositions.lsnBytes(null)).isInstanceOf(GuestError.class);
    }
}
