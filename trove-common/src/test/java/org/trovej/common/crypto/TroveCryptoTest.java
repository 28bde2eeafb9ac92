package org.trovej.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class TroveCryptoTest {

    @Test
    void roundTripsUnicodeWithARandomIv() {
        String key = TroveCrypto.newInstanceKey();
        String a = TroveCrypto.encrypt("{\"name\": \"d\u00e9j\u00e0\"}", key);
        String b = TroveCrypto.encrypt("{\"name\": \"d\u00e9j\u00e0\"}", key);
        assertThat(a).isNotEqualTo(b); // fresh IV each time
        assertThat(TroveCrypto.decrypt(a, key)).isEqualTo("{\"name\": \"d\u00e9j\u00e0\"}");
        // IV (16) + padded body: 17 UTF-8 bytes pad to 32
        assertThat(Base64.getDecoder().decode(a)).hasSize(16 + 32);
    }

    @Test
    void paddingIsAlwaysAddedAsTroveDoes() {
        // 16 bytes of data get a whole block of padding (n = 16), as Trove's pad does
        String wire = TroveCrypto.encrypt("0123456789abcdef", "k");
        assertThat(Base64.getDecoder().decode(wire)).hasSize(16 + 32);
        assertThat(TroveCrypto.decrypt(wire, "k")).isEqualTo("0123456789abcdef");
    }

    @Test
    void wrongKeyIsACryptoErrorButNotANotCiphertextError() {
        String wire = TroveCrypto.encrypt("{\"service_status\": \"healthy\"}", "right");
        assertThatThrownBy(() -> TroveCrypto.decrypt(wire, "wrong"))
                .isInstanceOf(CryptoException.class)
                .isNotInstanceOf(NotCiphertextException.class);
    }

    @Test
    void plainTextIsRecognisedAsNotCiphertext() {
        assertThatThrownBy(() -> TroveCrypto.decrypt("6c7d9997-06d4-53ce-b271-9311fe0c2574", "k"))
                .isInstanceOf(NotCiphertextException.class);
        assertThatThrownBy(() -> TroveCrypto.decrypt("aGVsbG8=", "k")).isInstanceOf(NotCiphertextException.class);
    }

    @Test
    void instanceKeysAre32AlphanumericCharacters() {
        assertThat(TroveCrypto.newInstanceKey()).matches("[A-Za-z0-9]{32}");
        assertThat(TroveCrypto.newInstanceKey()).isNotEqualTo(TroveCrypto.newInstanceKey());
    }
}
