package org.trovej.api.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.trovej.api.error.ApiException;
import org.trovej.common.log.GuestLogAction;

/** Trove's {@code guest_log:action} schema (apischema.py): name required, the four flags integers 0 or 1. */
class GuestLogRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theClientsBodiesAreRead() throws Exception {
        GuestLogAction show = GuestLogService.read(JSON.readTree("{\"name\": \"general\"}"));
        assertThat(show).isEqualTo(new GuestLogAction("general", null, null, null, null));
        GuestLogAction publish = GuestLogService.read(JSON.readTree("{\"name\": \"general\", \"publish\": 1, "
                + "\"enable\": 0, \"extra\": \"ignored as Trove's schema does\"}"));
        assertThat(publish.publishing()).isTrue();
        assertThat(publish.enabling()).isFalse();
        assertThat(publish.toWire().toString()).isEqualTo(
                "{\"log_name\":\"general\",\"enable\":0,\"disable\":null,\"publish\":1,\"discard\":null}");
    }

    @Test
    void badBodiesAre400sNamingTheKey() {
        refused("[]", "");
        refused("{}", "name");
        refused("{\"name\": \"\"}", "name");
        refused("{\"name\": \"!!!\"}", "name");
        refused("{\"name\": 7}", "name");
        refused("{\"name\": \"general\", \"enable\": true}", "enable");
        refused("{\"name\": \"general\", \"publish\": 2}", "publish");
        refused("{\"name\": \"general\", \"discard\": \"1\"}", "discard");
    }

    private static void refused(String body, String key) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> GuestLogService.read(node)).as(body).isInstanceOfSatisfying(ApiException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains(key);
                });
    }
}
