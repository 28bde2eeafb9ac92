package org.trovej.api.backup;

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

/** A backup create or delete the task manager never hears of gives its quota change back. */
class BackupCastFailureTest extends ApiIntegrationTest {

    @MockitoSpyBean
    TaskManagerClient taskManager;

    private final String project = TestData.project();

    @AfterEach
    void healBroker() {
        reset(taskManager);
    }

    private int inUse() {
        return count("SELECT coalesce(sum(in_use), 0) FROM quota_usages WHERE tenant_id = ? AND resource = 'backups'",
                project);
    }

    @Test
    void aCreateWhoseCastFailsLeavesNoLiveBackupAndNoUsage() {
        doThrow(new RpcPublishException("no confirm from the broker within PT30S"))
                .when(taskManager).createBackup(any(), any());
        String instance = new TestData.InstanceRow(project).insert(jdbc);

        Api.Response failed = api.post("/v1.0/" + project + "/backups", "{\"backup\": {\"name\": \"b\", "
                + "\"instance\": \"" + instance + "\"}}");

        // the broker's failure, not the client's: 503, try again
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.fault()).isEqualTo("serviceUnavailable");
        assertThat(inUse()).isZero();
        assertThat(count("SELECT coalesce(sum(reserved), 0) FROM quota_usages WHERE tenant_id = ?", project)).isZero();
        assertThat(count("SELECT count(*) FROM backups WHERE tenant_id = ? AND deleted = false", project)).isZero();
        assertThat(api.get("/v1.0/" + project + "/instances/" + instance).json().at("/instance/status").asText())
                .as("no backup left running on the instance").isEqualTo("ACTIVE");
    }

    @Test
    void aDeleteWhoseCastFailsKeepsTheUsage() {
        String instance = new TestData.InstanceRow(project).insert(jdbc);
        String id = api.post("/v1.0/" + project + "/backups", "{\"backup\": {\"name\": \"b\", \"instance\": \""
                + instance + "\"}}").json().at("/backup/id").asText();
        jdbc.update("UPDATE backups SET state = 'COMPLETED' WHERE id = ?", id);
        doThrow(new RpcPublishException("broker gone")).when(taskManager).deleteBackup(any(), any());

        assertThat(api.delete("/v1.0/" + project + "/backups/" + id).status()).isEqualTo(503);
        assertThat(inUse()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM backups WHERE id = ? AND deleted = false", id)).isEqualTo(1);
    }
}
