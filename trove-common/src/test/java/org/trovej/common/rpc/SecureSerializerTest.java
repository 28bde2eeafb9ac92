package org.trovej.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.trovej.common.crypto.CryptoException;
import org.trovej.common.crypto.TroveCrypto;

class SecureSerializerTest {

    private static final String KEY = "bzH6y0SGmjuoY0FNSTptrhgieGXNDX6PIhvz";

    /**
     * AES-CBC has no integrity check: about one wrong key in 256 passes the padding check and yields garbage. That
     * case must be reported exactly as the common one (it once made a CI run fail with the other message).
     */
    @Test
    void aWrongKeyThatPassesThePaddingCheckIsReportedAsAWrongKey() {
        String sealed = TroveCrypto.encrypt("{\"marker\": \"m\"}", KEY);
        String paddingPasser = null;
        for (int i = 0; i < 20_000 && paddingPasser == null; i++) {
            String candidate = TroveCrypto.newInstanceKey();
            try {
                TroveCrypto.decrypt(sealed, candidate);
                paddingPasser = candidate;
            } catch (CryptoException e) {
                // the usual outcome: bad padding
            }
        }
        assertThat(paddingPasser).as("a wrong key whose garbage has valid padding").isNotNull();
        SecureSerializer wrong = new SecureSerializer(paddingPasser);
        assertThatThrownBy(() -> wrong.deserializeEntity(RpcContext.empty(), TextNode.valueOf(sealed)))
                .isInstanceOf(RpcDecodeException.class).hasMessageContaining("does not decrypt with this key");
    }

    @Test
    void theRightKeyOpensTheValue() {
        String sealed = TroveCrypto.encrypt("{\"marker\": \"m\"}", KEY);
        assertThat(new SecureSerializer(KEY).deserializeEntity(RpcContext.empty(), TextNode.valueOf(sealed))
                .path("marker").asText()).isEqualTo("m");
    }
}
