package org.trovej.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Which writes go on while the broker is down: only those that touch nothing but the database. The refusal itself
 * is shown end to end, with RabbitMQ really stopped, by the all-in-one's RabbitMqRestartTest.
 */
class BrokerGateTest {

    @Test
    void onlyWritesThatTouchNothingButTheDatabasePassWhileTheBrokerIsDown() {
        assertThat(BrokerGate.databaseOnly(request("PUT", "/v1.0/p/mgmt/quotas/t"))).isTrue();
        assertThat(BrokerGate.databaseOnly(request("POST", "/v1.0/p/mgmt/datastore-versions"))).isTrue();
        assertThat(BrokerGate.databaseOnly(request("PATCH", "/v1.0/p/mgmt/datastore-versions/v1"))).isTrue();
        assertThat(BrokerGate.databaseOnly(request("POST", "/v1.0/p/configurations"))).isTrue();
        assertThat(BrokerGate.databaseOnly(request("PUT", "/v1.0/p/instances/i/backup_schedule"))).isTrue();
        assertThat(BrokerGate.databaseOnly(request("DELETE", "/v1.0/p/instances/i/backup_schedule"))).isTrue();

        assertThat(BrokerGate.databaseOnly(request("POST", "/v1.0/p/instances"))).isFalse();
        assertThat(BrokerGate.databaseOnly(request("POST", "/v1.0/p/instances/i/action"))).isFalse();
        assertThat(BrokerGate.databaseOnly(request("DELETE", "/v1.0/p/instances/i"))).isFalse();
        assertThat(BrokerGate.databaseOnly(request("POST", "/v1.0/p/instances/i/backups"))).isFalse();
        assertThat(BrokerGate.databaseOnly(request("POST", "/v1.0/p/backups"))).isFalse();
        assertThat(BrokerGate.databaseOnly(request("PUT", "/v1.0/p/configurations/c"))).isFalse();
        assertThat(BrokerGate.databaseOnly(request("POST", "/v1.0/p/mgmt/instances/i/action"))).isFalse();
        assertThat(BrokerGate.databaseOnly(request("POST", "/v1.0"))).isFalse();
    }

    private static MockHttpServletRequest request(String method, String uri) {
        return new MockHttpServletRequest(method, uri);
    }
}
