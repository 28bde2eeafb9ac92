package org.trovej.guestagent.postgresql;

import java.util.regex.Pattern;

import org.trovej.guestagent.datastore.GuestErrors;

/**
 * A Trove user's {@code host} as a pg_hba.conf address. PostgreSQL has no user@host accounts, so a user with a
 * host gets two rules: its address may log in, every other address is rejected. Accepted: {@code %} (anywhere,
 * no rule), an IPv4/IPv6 address, a CIDR, MySQL-style trailing wildcards on whole octets ({@code 10.1.%}),
 * and {@code localhost}.
 */
final class PostgresHostRules {

    private static final Pattern IPV4 = Pattern.compile("^(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}$");
    private static final Pattern IPV4_CIDR = Pattern.compile("^[0-9.]+/(3[0-2]|[12]?\\d)$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:]+(:[0-9.]+)?$");
    private static final Pattern IPV6_CIDR = Pattern.compile("^[0-9A-Fa-f:]+/(12[0-8]|1[01]\\d|\\d?\\d)$");
    private static final Pattern WILDCARD = Pattern.compile("^(\\d{1,3}\\.){1,3}%$");

    private PostgresHostRules() {
    }

    /** The pg_hba ADDRESS field for this host, or null for {@code %} (no restriction). */
    static String address(String host) {
        if (host == null || host.equals("%")) {
            return null;
        }
        if (host.equals("localhost")) {
            return "samehost";
        }
        if (IPV4.matcher(host).matches()) {
            return host + "/32";
        }
        if (IPV4_CIDR.matcher(host).matches() && IPV4.matcher(host.substring(0, host.indexOf('/'))).matches()) {
            return host;
        }
        if (WILDCARD.matcher(host).matches()) {
            String[] octets = host.substring(0, host.length() - 2).split("\\.");
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                int octet = i < octets.length ? Integer.parseInt(octets[i]) : 0;
                if (octet > 255) {
                    throw invalid(host);
                }
                network.append(i == 0 ? "" : ".").append(octet);
            }
            return network + "/" + (8 * octets.length);
        }
        if (host.contains(":") && (IPV6.matcher(host).matches())) {
            return host + "/128";
        }
        if (host.contains(":") && IPV6_CIDR.matcher(host).matches()) {
            return host;
        }
        throw invalid(host);
    }

    /** The user in a pg_hba line: quoted, so that a name with capitals or punctuation stays exact. */
    static String user(String name) {
        if (name.contains("\"") || name.chars().anyMatch(Character::isWhitespace)) {
            throw GuestErrors.badRequest("A PostgreSQL user restricted to a host may not contain quotes or spaces: "
                    + name);
        }
        return "\"" + name + "\"";
    }

    private static RuntimeException invalid(String host) {
        return GuestErrors.badRequest("Host " + host + " is not valid for PostgreSQL: use %, localhost, an IP "
                + "address, a CIDR (10.0.0.0/8) or whole-octet wildcards (10.0.%)");
    }
}
