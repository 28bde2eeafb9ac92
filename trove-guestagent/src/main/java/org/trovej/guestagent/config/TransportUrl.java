package org.trovej.guestagent.config;

import java.util.Locale;

/**
 * Turns oslo.messaging's {@code transport_url} into the AMQP URI the RabbitMQ client takes.
 * <p>
 * oslo: {@code rabbit://user:pass@host:port[,user:pass@host2:port]/vhost[?options]}, credentials and vhost
 * percent-encoded, an empty vhost meaning the default vhost {@code /}. The AMQP URI spells that vhost
 * {@code %2F} (an empty path would mean "no vhost" to some clients). Of several hosts the first is used: the
 * client reconnects to the same broker, which is what one guest needs. {@code ssl=1|true} in the query
 * selects {@code amqps}.
 */
public final class TransportUrl {

    private TransportUrl() {
    }

    public static String toAmqpUri(String transportUrl) {
        if (transportUrl == null || transportUrl.isBlank()) {
            throw new IllegalArgumentException("transport_url is not set");
        }
        String url = transportUrl.strip();
        int schemeEnd = url.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("transport_url is not a URL (expected rabbit://...)");
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("rabbit") && !scheme.equals("amqp") && !scheme.equals("amqps")) {
            throw new IllegalArgumentException("transport_url scheme '" + scheme + "' is not supported (rabbit only)");
        }
        String rest = url.substring(schemeEnd + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String vhost = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            vhost = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        int comma = rest.indexOf(',');
        String firstHost = comma >= 0 ? rest.substring(0, comma) : rest;
        if (firstHost.isEmpty() || firstHost.endsWith("@")) {
            throw new IllegalArgumentException("transport_url names no broker host");
        }
        boolean tls = scheme.equals("amqps") || sslRequested(query);
        String hostPart = firstHost.substring(firstHost.lastIndexOf('@') + 1);
        if (!hasPort(hostPart)) {
            firstHost = firstHost + ":" + (tls ? 5671 : 5672);
        }
        if (vhost.isEmpty() || vhost.equals("/")) {
            vhost = "%2F";
        }
        return (tls ? "amqps" : "amqp") + "://" + firstHost + "/" + vhost;
    }

    private static boolean hasPort(String hostPart) {
        if (hostPart.startsWith("[")) { // IPv6 literal
            return hostPart.contains("]:");
        }
        return hostPart.contains(":");
    }

    private static boolean sslRequested(String query) {
        for (String option : query.split("&")) {
            String[] kv = option.split("=", 2);
            if (kv.length == 2 && kv[0].equalsIgnoreCase("ssl")) {
                String v = kv[1].toLowerCase(Locale.ROOT);
                return v.equals("1") || v.equals("true") || v.equals("yes") || v.equals("on");
            }
        }
        return false;
    }
}
