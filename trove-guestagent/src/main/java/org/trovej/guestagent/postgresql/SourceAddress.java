package org.trovej.guestagent.postgresql;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.trovej.guestagent.datastore.GuestError;

/** The address a source gives its replicas in the replica context ({@code master.host}). */
final class SourceAddress {

    private SourceAddress() {
    }

    /**
     * The address other machines reach this server at: the configured {@code bind_host} (the local back end gives
     * each instance its own), or, when it listens everywhere, the address of the interface with the default
     * route (as Trove's guest takes its own IPv4 address).
     */
    static String of(String bindHost) {
        String first = bindHost.split(",")[0].strip();
        if (!List.of("*", "0.0.0.0", "", "::").contains(first)) {
            return first;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            // no packet is sent: connecting a UDP socket only chooses the route and its source address
            probe.connect(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 9));
            InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress() && !local.isLoopbackAddress()) {
                return local.getHostAddress();
            }
        } catch (IOException e) {
            // fall through
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            throw new GuestError("Cannot tell this machine's address for replicas: set [postgresql] bind_host");
        }
    }
}
