package org.trovej.api.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.reset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.common.rpc.RpcPublishException;
import org.trovej.service.taskmanager.TaskManagerClient;

/** A create or resize the task manager never hears of gives its reservation back. */
class QuotaCastFailureTest extends ApiIntegrationTest {

    @MockitoSpyBean
    TaskManagerClient taskManager;

    private final String project = TestData.project();

    @AfterEach
    void healBroker() {
        reset(taskManager);
    }

    private int inUse(String resource) {
        return count("SELECT coalesce(sum(in_use), 0) FROM quota_usages WHERE tenant_id = ? AND resource = ?",
                project, resource);
    }

    private int reserved() {
        return count("SELECT coalesce(sum(reserved), 0) FROM quota_usages WHERE tenant_id = ?", project);
    }

    @Test
    void aCreateWhoseCastFailsRollsItsReservationBackAndLeavesNoInstance() {
        doThrow(new RpcPublishException("no confirm from the broker within PT30S"))
                .when(taskManager).createInstance(any(), any());

        Api.Response failed = api.post("/v1.0/" + project + "/instances",
                "{\"instance\": {\"name\": \"f1\", \"flavorRef\": \"2\", \"volume\": {\"size\": 2}}}");

        // the broker's failure, not the client's: 503, try again (it never reached the task manager)
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.json().path("serviceUnavailable").path("message").asText())
                .contains("message broker is unreachable");
        assertThat(inUse("instances")).isZero();
        assertThat(inUse("volumes")).isZero();
        assertThat(reserved()).isZero();
        assertThat(count("SELECT count(*) FROM reservations r JOIN quota_usages u ON u.id = r.usage_id "
                + "WHERE u.tenant_id = ? AND r.status = 'Rolled Back'", project)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM instances WHERE tenant_id = ? AND deleted = false", project)).isZero();
        assertThat(api.get("/v1.0/" + project + "/instances").json().get("instances")).isEmpty();
    }

    @Test
    void aVolumeResizeWhoseCastFailsRollsBack() {
        doThrow(new RpcPublishException("broker gone")).when(taskManager).resizeVolume(any(), any(), 
                org.mockito.ArgumentMatchers.anyInt());
        String id = new TestData.InstanceRow(project).volume(2).insert(jdbc);

        Api.Response failed = api.post("/v1.0/" + project + "/instances/" + id + "/action",
                "{\"resize\": {\"volume\": {\"size\": 4}}}");

        assertThat(failed.status()).isEqualTo(503);
        assertThat(inUse("volumes")).isZero();
        assertThat(reserved()).isZero();
    }
}
