package org.trovej.allinone;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/**
 * Closes the context on SIGTERM/SIGINT before the JVM runs its shutdown hooks. The embedded PostgreSQL
 * library registers a hook of its own that stops the server; hooks run concurrently, so on a plain JVM
 * shutdown the database could go away while the conductor and the API are still finishing their work.
 * Closing the context first lets the beans that use the database stop in order (the embedded servers are
 * the last beans destroyed); the library's hook then finds its server already stopped.
 */
final class SignalShutdown {

    private static final Logger log = LoggerFactory.getLogger(SignalShutdown.class);

    private SignalShutdown() {
    }

    static void install(ConfigurableApplicationContext context) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (stopping.compareAndSet(false, true)) {
                        log.info("SIG{} received: stopping", signal.getName());
                        try {
                            context.close();
                        } finally {
                            System.exit(128 + signal.getNumber());
                        }
                    }
                });
            } catch (IllegalArgumentException e) {
                // reserved by the JVM (e.g. -Xrs): its default shutdown applies
                log.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
