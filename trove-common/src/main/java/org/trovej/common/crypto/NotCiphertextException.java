package org.trovej.common.crypto;

/** The text is not Trove ciphertext at all (not base64, or not IV + whole AES blocks). */
public class NotCiphertextException extends CryptoException {

    public NotCiphertextException(String message) {
        super(message);
    }
}
