package org.trovej.taskmanager.compute;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The broker address as guests are told it: oslo.messaging's {@code transport_url}
 * ({@code rabbit://user:password@host:port/vhost}), made from the AMQP URI the control plane itself uses.
 */
public final class TransportUrls {

    private TransportUrls() {
    }

    /**
     * {@code amqp://u:p@h:5672/%2F} → {@code rabbit://u:p@h:5672/}; credentials and vhost keep their percent
     * encoding; the default vhost {@code /} is oslo's empty path; {@code amqps} becomes {@code ?ssl=1}.
     */
    public static String fromAmqpUri(String amqpUri) {
        URI uri;
        try {
            uri = new URI(amqpUri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad AMQP URI (not shown: it holds credentials)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("amqp") && !scheme.equals("amqps")) {
            throw new IllegalArgumentException("not an AMQP URI (amqp:// or amqps://)");
        }
        boolean tls = scheme.equals("amqps");
        String userInfo = uri.getRawUserInfo() == null ? "guest:guest" : uri.getRawUserInfo();
        int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 5671 : 5672);
        String vhost = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : uri.getRawPath().substring(1);
        if (vhost.equalsIgnoreCase("%2F")) {
            vhost = "";
        }
        return "rabbit://" + userInfo + "@" + uri.getHost() + ":" + port + "/" + vhost + (tls ? "?ssl=1" : "");
    }
}
