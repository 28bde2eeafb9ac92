package org.trovej.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Trove's symmetric encryption of RPC values and per-instance keys, bit for bit: AES-256-CBC whose key is
 * the ASCII text of the MD5 hex digest of the key string (32 bytes), a random 16-byte IV in front of the
 * ciphertext, PKCS#7 padding, standard base64 text.
 */
public final class TroveCrypto {

    private static final int IV_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEY_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** Derived AES keys by key string: deriving costs an MD5 per message otherwise. Bounded by clearing. */
    private static final java.util.concurrent.ConcurrentHashMap<String, SecretKeySpec> DERIVED =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int DERIVED_MAX = 200_000;
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/CBC/PKCS5Padding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is not available in this JVM", e);
        }
    });

    private TroveCrypto() {
    }

    /** Encrypts UTF-8 text and returns Trove's base64 wire text. */
    public static String encrypt(String plaintext, String key) {
        byte[] iv = new byte[IV_LENGTH];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.ENCRYPT_MODE, aesKey(key), new IvParameterSpec(iv));
            byte[] body = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(iv, IV_LENGTH + body.length);
            System.arraycopy(body, 0, out, IV_LENGTH, body.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is not available in this JVM", e);
        }
    }

    /**
     * Decrypts Trove's base64 wire text.
     *
     * @throws NotCiphertextException if the text is not base64 or not IV + whole AES blocks
     * @throws CryptoException if it is ciphertext that this key does not open
     */
    public static String decrypt(String wireText, String key) {
        byte[] data;
        try {
            data = Base64.getDecoder().decode(wireText);
        } catch (IllegalArgumentException e) {
            throw new NotCiphertextException("not base64");
        }
        if (data.length < 2 * IV_LENGTH || data.length % IV_LENGTH != 0) {
            throw new NotCiphertextException("ciphertext of " + data.length + " bytes is not IV + whole AES blocks");
        }
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, aesKey(key), new IvParameterSpec(data, 0, IV_LENGTH));
            byte[] plain = cipher.doFinal(data, IV_LENGTH, data.length - IV_LENGTH);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new CryptoException("wrong key or corrupt ciphertext", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is not available in this JVM", e);
        }
    }

    /** A new per-instance RPC key: 32 random characters from [A-Za-z0-9], as Trove generates them. */
    public static String newInstanceKey() {
        char[] key = new char[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = KEY_ALPHABET[RANDOM.nextInt(KEY_ALPHABET.length)];
        }
        return new String(key);
    }

    private static SecretKeySpec aesKey(String key) {
        SecretKeySpec cached = DERIVED.get(key);
        if (cached != null) {
            return cached;
        }
        if (DERIVED.size() > DERIVED_MAX) {
            DERIVED.clear();
        }
        SecretKeySpec derived = derive(key);
        DERIVED.put(key, derived);
        return derived;
    }

    private static SecretKeySpec derive(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII), "AES");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    }
}
