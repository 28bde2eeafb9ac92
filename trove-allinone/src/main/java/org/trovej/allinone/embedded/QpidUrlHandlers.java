package org.trovej.allinone.embedded;

import org.apache.catalina.webresources.TomcatURLStreamHandlerFactory;

/**
 * Makes Qpid's {@code classpath:} and {@code data:} URLs resolvable inside the executable jar. Qpid registers
 * its handlers through {@code java.protocol.handler.pkgs}, which the JDK resolves with the system class
 * loader; in a Spring Boot jar Qpid's classes live in a nested jar that loader cannot see, so the broker fails
 * at start with "unknown protocol: classpath". The JVM has a single URL handler factory and embedded Tomcat
 * claims it, so the handlers are added to Tomcat's factory (its hook for exactly this) rather than set anew.
 */
final class QpidUrlHandlers {

    private static boolean registered;

    private QpidUrlHandlers() {
    }

    static synchronized void register() {
        if (registered) {
            return;
        }
        TomcatURLStreamHandlerFactory.getInstance().addUserFactory(protocol -> switch (protocol) {
            case "classpath" -> new org.apache.qpid.server.util.urlstreamhandler.classpath.Handler();
            case "data" -> new org.apache.qpid.server.util.urlstreamhandler.data.Handler();
            default -> null;
        });
        registered = true;
    }
}
