package org.trovej.common.crypto;

/** Raised when Trove-encrypted text cannot be decrypted (wrong key, not base64, truncated). */
public class CryptoException extends RuntimeException {

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
