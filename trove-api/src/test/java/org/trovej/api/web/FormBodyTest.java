package org.trovej.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.trovej.api.support.Api;
import org.trovej.api.support.GuestApiTest;

/**
 * A form-encoded body is not this JSON API's: refused as a fault whatever the method and however broken its
 * escapes, and never parsed (nor logged) by Tomcat as parameters.
 */
class FormBodyTest extends GuestApiTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    /** Tomcat's logger for parameters it cannot decode (JULI, bridged to Logback). */
    private static final String PARAMETERS_LOGGER = "org.apache.tomcat.util.http.Parameters";

    @Test
    void aFormBodyWithBrokenEscapesIsAFaultWhateverTheMethod() {
        String[][] requests = {
                {"POST", path("/users")}, {"PUT", path("")}, {"PATCH", path("")}, {"PUT", path("/users")},
                {"PUT", path("/users/u")}, {"DELETE", path("/users/u")}, {"DELETE", path("/databases/d")}};
        for (String[] request : requests) {
            for (String body : new String[] {"a=%zz", "a=%", "%", "a=%e9%", "=%%%&&=%"}) {
                Api.Response response = api.send(request[0], request[1], body, FORM);
                String what = request[0] + " " + request[1] + " " + body + ": " + response.body();

                // a DELETE reads no body: it answers what it would without one
                assertThat(response.status()).as(what).isIn(request[0].equals("DELETE") ? 400 : 415, 404);
                assertThat(response.json().path(response.fault()).path("code").asInt()).as(what)
                        .isEqualTo(response.status());
            }
        }
        assertThat(guest.changes()).isEmpty();
    }

    @Test
    void aJsonBodySentAsAFormIsNeverLogged() {
        String password = "Form-Secret-%zz-" + UUID.randomUUID();
        String body = "{\"users\": [{\"name\": \"u2\", \"password\": \"" + password + "\"}]}";
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger parameters = (Logger) LoggerFactory.getLogger(PARAMETERS_LOGGER);
        java.util.logging.Logger julParameters = java.util.logging.Logger.getLogger(PARAMETERS_LOGGER);
        Level logbackLevel = parameters.getLevel();
        java.util.logging.Level julLevel = julParameters.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        // Tomcat logs its first decoding failure at INFO and the later ones at DEBUG: let both through
        parameters.setLevel(Level.DEBUG);
        julParameters.setLevel(java.util.logging.Level.ALL);
        try {
            for (String method : new String[] {"POST", "PUT"}) {
                Api.Response response = api.send(method, path("/users"), body, FORM);
                assertThat(response.status()).isEqualTo(415);
                assertThat(response.body()).doesNotContain(password);
            }
        } finally {
            root.detachAppender(logs);
            parameters.setLevel(logbackLevel);
            julParameters.setLevel(julLevel);
        }
        assertThat(logs.list).isNotEmpty().allSatisfy(event -> assertThat(event.getFormattedMessage())
                .doesNotContain("Form-Secret"));
        assertThat(guest.calls()).isEmpty();
    }
}
