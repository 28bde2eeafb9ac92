package org.trovej.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.trovej.api.support.Api;
import org.trovej.api.support.GuestApiTest;

/**
 * Validation errors quote the offending value as Trove's (jsonschema's repr) do, except a password: masked in
 * the 400's message and in the log, whether the password itself is wrong or the object holding it is.
 */
class SecretMaskingTest extends GuestApiTest {

    private static final String LONG = "Long-Secret-" + "x".repeat(300);
    private static final String IN_OBJECT = "Object-Secret-42";

    @Test
    void passwordsAreMaskedInValidationErrorsAndTheirLogLines() {
        String instances = "/v1.0/" + project + "/instances";
        String instance = "{\"instance\": {\"name\": \"db\", \"flavorRef\": \"2\", \"volume\": {\"size\": 1}, "
                + "\"users\": %s}}";
        List<Api.Response> responses = new ArrayList<>();
        List<ILoggingEvent> events = captureLogs(() -> {
            responses.add(api.post(instances, instance.formatted("[" + user(LONG) + "]")));
            responses.add(api.post(instances, instance.formatted(user(IN_OBJECT))));
            responses.add(api.post(path("/users"), "{\"users\": [" + user(LONG) + "]}"));
            responses.add(api.post(path("/users"), "{\"users\": " + user(IN_OBJECT) + "}"));
        });

        assertThat(responses).extracting(Api.Response::status).containsOnly(400);
        assertThat(message(responses.get(0))).isEqualTo("Validation error: instance['users'][0]['password'] '***' "
                + "is too long");
        assertThat(message(responses.get(1))).isEqualTo("Validation error: instance['users'] {'name': 'u', "
                + "'password': '***'} is not of type 'array'");
        assertThat(message(responses.get(2))).isEqualTo("Validation error: users[0]['password'] '***' is too long");
        assertThat(message(responses.get(3))).isEqualTo("Validation error: users {'name': 'u', 'password': '***'} "
                + "is not of type 'array'");
        assertThat(responses).allSatisfy(r -> assertThat(r.body()).doesNotContain("Secret"));
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("Secret"));
        assertThat(guest.calls()).isEmpty();
    }

    private static String user(String password) {
        return "{\"name\": \"u\", \"password\": \"" + password + "\"}";
    }

    private static List<ILoggingEvent> captureLogs(Runnable action) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            action.run();
        } finally {
            root.detachAppender(logs);
        }
        return logs.list;
    }
}
