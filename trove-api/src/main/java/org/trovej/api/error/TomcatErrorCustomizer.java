package org.trovej.api.error;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat as the API needs it: its error pages are {@link FaultReportValve}'s bodies, never HTML; and an encoded
 * slash ({@code %2F}) in a path reaches the application (where the object store decodes it as Swift does, and
 * Trove's routes simply do not match it) instead of being refused by Tomcat.
 * <p>
 * Tomcat never parses a request body as form parameters: this API takes JSON only (a form body is a 415), and
 * Tomcat's parser logs at INFO the parameter it fails to decode, which for a JSON body sent with a form content
 * type is the whole body, passwords included. TRACE is let through to the application only so that
 * {@link org.trovej.api.web.UnroutedMethodFilter} refuses it with a fault body: Tomcat's own refusal has none
 * and never reaches the error report valve.
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
        factory.addConnectorCustomizers(connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            // no method names "": no body is ever parsed for parameters
            connector.setParseBodyMethods("");
            connector.setAllowTrace(true);
        });
    }
}
