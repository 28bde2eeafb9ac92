package org.trovej.api.configuration;

import java.util.List;
import java.util.Locale;

/**
 * Which values a group's view shows as {@code ***}, as Trove's view masks them (oslo's mask_dict_password): a
 * parameter whose name contains one of these words.
 */
final class Masking {

    private static final List<String> SECRET_WORDS = List.of("password", "passwd", "pswd", "secret", "token",
            "passphrase", "private_key", "encryption_key", "encrypted_key", "sslkey", "keyring");

    private Masking() {
    }

    static boolean isSecret(String parameter) {
        String name = parameter.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(name::contains);
    }
}
