package org.trovej.api.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.BackupRow;
import org.trovej.api.support.CastRecorder;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/** DELETE /backups/{id}: incrementals first, one delete_backup cast and one quota release per backup. */
class BackupDeleteTest extends ApiIntegrationTest {

    private final String project = TestData.project();

    private String path(String id) {
        return "/v1.0/" + project + "/backups/" + id;
    }

    private int inUse(String tenant) {
        return count("SELECT coalesce(sum(in_use), 0) FROM quota_usages WHERE tenant_id = ? AND resource = 'backups'",
                tenant);
    }

    private List<String> deleteCasts() {
        return casts.all().stream().filter(c -> c.method().equals("delete_backup")).map(CastRecorder.Cast::backupId)
                .toList();
    }

    @Test
    void deleteAnswers202CastsDeleteBackupAndFreesTheQuota() {
        String instance = new InstanceRow(project).insert(jdbc);
        Api.Response created = api.post("/v1.0/" + project + "/backups", "{\"backup\": {\"name\": \"b\", "
                + "\"instance\": \"" + instance + "\"}}");
        String id = created.json().at("/backup/id").asText();
        assertThat(inUse(project)).isEqualTo(1);
        jdbc.update("UPDATE backups SET state = 'COMPLETED' WHERE id = ?", id);

        Api.Response deleted = api.delete(path(id));

        assertThat(deleted.status()).isEqualTo(202);
        assertThat(deleted.body()).isEmpty();
        CastRecorder.Cast cast = casts.awaitBackup("delete_backup", id);
        assertThat(cast.args().toString()).isEqualTo("{\"backup_id\":\"" + id + "\"}");
        assertThat(cast.context().projectId()).isEqualTo(project);
        assertThat(cast.context().requestId()).isEqualTo(deleted.header("x-openstack-request-id"));
        assertThat(inUse(project)).isZero();
        assertThat(count("SELECT count(*) FROM backups WHERE id = ? AND deleted = false", id))
                .as("the task manager marks it deleted once its objects are gone").isEqualTo(1);
    }

    @Test
    void incrementalsAreDeletedBeforeTheirParentsAndOtherProjectsAreLeftAlone() {
        String root = new BackupRow(project).insert(jdbc);
        String child = new BackupRow(project).parent(root).insert(jdbc);
        String grandchild = new BackupRow(project).parent(child).insert(jdbc);
        String foreignChild = new BackupRow(TestData.project()).parent(root).insert(jdbc);

        assertThat(api.delete(path(root)).status()).isEqualTo(202);

        // sent children first; casts need not share a channel, so the order they arrive in is not the order sent
        // and is not asserted
        for (String id : List.of(grandchild, child, root)) {
            casts.awaitBackup("delete_backup", id);
        }
        assertThat(deleteCasts().stream().filter(List.of(root, child, grandchild, foreignChild)::contains).toList())
                .containsExactlyInAnyOrder(grandchild, child, root);
    }

    @Test
    void aRunningBackupAnywhereInTheTreeRefusesTheDeleteUnlessItIsStale() {
        String root = new BackupRow(project).insert(jdbc);
        String running = new BackupRow(project).parent(root).state("BUILDING").insert(jdbc);
        String stale = new BackupRow(project).state("NEW").created(TestData.nowUtc().minusDays(3).minusMinutes(1))
                .insert(jdbc);
        String young = new BackupRow(project).state("SAVING").created(TestData.nowUtc().minusDays(2)).insert(jdbc);

        for (String refusedId : List.of(root, young)) {
            String blocker = refusedId.equals(root) ? running : young;
            Api.Response refused = api.delete(path(refusedId));
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.json().toString()).isEqualTo("{\"unprocessableEntity\":{\"code\":422,\"message\":"
                    + "\"Backup " + blocker + " cannot be deleted because it is running.\"}}");
        }
        assertThat(casts.settled(c -> c.method().equals("delete_backup") && project.equals(c.context().projectId())))
                .isEmpty();
        assertThat(count("SELECT count(*) FROM quota_usages WHERE tenant_id = ?", project)).isZero();

        assertThat(api.delete(path(stale)).status()).isEqualTo(202);
        casts.awaitBackup("delete_backup", stale);
    }

    @Test
    void anotherProjectsBackupIsNotFoundExceptForAnAdminWhoFreesTheOwnersQuota() {
        String owner = TestData.project();
        String instance = new InstanceRow(owner).insert(jdbc);
        Api.Response created = api.post("/v1.0/" + owner + "/backups", "{\"backup\": {\"name\": \"b\", "
                + "\"instance\": \"" + instance + "\"}}");
        String id = created.json().at("/backup/id").asText();
        jdbc.update("UPDATE backups SET state = 'COMPLETED' WHERE id = ?", id);

        Api.Response hidden = api.delete(path(id));
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.json().at("/itemNotFound/message").asText()).isEqualTo("Resource " + id
                + " cannot be found.");
        assertThat(inUse(owner)).isEqualTo(1);

        assertThat(api.delete(path(id), AS_ADMIN).status()).isEqualTo(202);
        casts.awaitBackup("delete_backup", id);
        assertThat(inUse(owner)).isZero();
    }
}
