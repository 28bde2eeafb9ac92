package org.trovej.common.datastore;

/** Datastore version numbers compared as numbers part by part: "9.6" < "10" < "10.11" < "15" < "15.20". */
public final class VersionNumbers {

    private VersionNumbers() {
    }

    /** Negative, zero or positive as {@code a} is older than, the same as or newer than {@code b}; null is oldest. */
    public static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : -1;
            int q = i < y.length ? parse(y[i]) : -1;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    /** The leading number: 15 of "15.20", 10 of "10.11.14"; null when there is none. */
    public static Integer major(String version) {
        if (version == null) {
            return null;
        }
        String first = version.strip().split("[^0-9]", 2)[0];
        return first.isEmpty() ? null : Integer.valueOf(first);
    }

    private static int parse(String part) {
        try {
            return Integer.parseInt(part);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
