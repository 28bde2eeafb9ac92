package org.trovej.api.validation;

import java.util.Locale;

/** oslo's {@code uuidutils.is_uuid_like}: hyphens, braces and a {@code urn:uuid:} prefix are optional. */
public final class Uuids {

    private Uuids() {
    }

    public static boolean isUuidLike(String value) {
        if (value == null) {
            return false;
        }
        String v = value.toLowerCase(Locale.ROOT);
        if (v.startsWith("urn:uuid:")) {
            v = v.substring(9);
        }
        v = v.replace("{", "").replace("}", "").replace("-", "");
        return v.length() == 32 && v.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
