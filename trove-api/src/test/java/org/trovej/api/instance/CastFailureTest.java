package org.trovej.api.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;
import org.trovej.common.rpc.RpcPublishException;
import org.trovej.common.status.InstanceTask;

/**
 * When the broker cannot take a cast, the records say so instead of waiting for a task manager that will never
 * hear of the request. (With the broker really gone a cast gives up only after the publisher's 30 s of retries,
 * so the failure is produced here by the cast itself.)
 */
class CastFailureTest extends ApiIntegrationTest {

    @Autowired
    TaskCasts taskCasts;

    @Test
    void aCastThatCannotBeSentLeavesTheGivenTaskAndAFaultBehindAndFailsTheRequest() {
        String project = TestData.project();
        String id = new InstanceRow(project).task(0x05).server("BUILD").service(0x17, "new").insert(jdbc);

        assertThatThrownBy(() -> taskCasts.send(id, "create_instance", InstanceTask.BUILDING_ERROR_SERVER, () -> {
            throw new RpcPublishException("no confirm from the broker within PT30S");
        })).isInstanceOf(RpcPublishException.class);

        assertThat(jdbc.queryForObject("SELECT task_id FROM instances WHERE id = ?", Integer.class, id)).isEqualTo(0x51);
        var shown = api.get("/v1.0/" + project + "/instances/" + id).json().get("instance");
        assertThat(shown.get("status").asText()).isEqualTo("ERROR");
        assertThat(shown.at("/fault/message").asText())
                .isEqualTo("The request could not be passed to the task manager (create_instance).");
        assertThat(api.get("/v1.0/" + project + "/instances/" + id, AS_ADMIN).json().at("/instance/fault/details")
                .asText()).contains("no confirm from the broker");
    }
}
