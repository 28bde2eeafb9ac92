package org.trovej.api.error;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat as the API needs it: its error pages are {@link FaultReportValve}'s bodies, never HTML; and an encoded
 * slash ({@code %2F}) in a path reaches the application (where the object store decodes it as Swift does, and
 * Trove's routes simply do not match it) instead of being refused by Tomcat.
 */
@Component
public class TomcatErrorCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(FaultReportValve.class.getName());
            }
        });
        factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
    }
}
