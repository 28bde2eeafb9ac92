package org.trovej.api.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.BackupRow;
import org.trovej.api.support.TestData;

/** POST /instances with restorePoint: Trove's checks of the backup, then create_instance carrying backup_id. */
class InstanceRestoreTest extends ApiIntegrationTest {

    private final String project = TestData.project();

    private Api.Response restore(String backupId, int volume, String... headers) {
        return api.post("/v1.0/" + project + "/instances", "{\"instance\": {\"name\": \"restored\", \"flavorRef\": "
                + "\"2\", \"volume\": {\"size\": " + volume + "}, \"restorePoint\": {\"backupRef\": \"" + backupId
                + "\"}}}", headers);
    }

    /** The backup's object, put into the local object store (Swift's API; noauth takes any token). */
    private String stored(BackupRow row) {
        String id = row.insert(jdbc);
        String path = java.net.URI.create(row.location()).getPath();
        String container = path.substring(0, path.lastIndexOf('/'));
        assertThat(api.send("PUT", container, "", "text/plain", "X-Auth-Token", "any").status()).isIn(201, 202);
        Api.Response put = api.send("PUT", path, "backup bytes", "application/octet-stream", "X-Auth-Token", "any");
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        return id;
    }

    @Test
    void aFinishedBackupThatFitsIsRestoredThroughTheCreateCast() {
        String completed = stored(new BackupRow(project).size(1.5));
        String restored = stored(new BackupRow(project).state("RESTORED").size(2.0));

        for (String backup : new String[] {completed, restored}) {
            Api.Response response = restore(backup, 2);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            String id = response.json().at("/instance/id").asText();
            assertThat(response.json().at("/instance/datastore/type").asText()).isEqualTo("postgresql");
            assertThat(casts.await("create_instance", id).args().get("backup_id").asText()).isEqualTo(backup);
        }
    }

    @Test
    void anAdminMayRestoreAnotherProjectsBackup() {
        String foreign = stored(new BackupRow(TestData.project()));

        Api.Response response = restore(foreign, 1, AS_ADMIN);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(casts.await("create_instance", response.json().at("/instance/id").asText()).args()
                .get("backup_id").asText()).isEqualTo(foreign);
    }

    @Test
    void refusalsAreTroveFaultsInTroveOrderAndWriteNothing() {
        String unknown = UUID.randomUUID().toString();
        String foreign = new BackupRow(TestData.project()).insert(jdbc);
        String running = new BackupRow(project).state("BUILDING").insert(jdbc);
        String failed = new BackupRow(project).state("FAILED").insert(jdbc);
        String deleted = new BackupRow(project).insert(jdbc);
        jdbc.update("UPDATE backups SET deleted = true WHERE id = ?", deleted);
        String large = new BackupRow(project).size(2.5).insert(jdbc);
        String mysql = stored(new BackupRow(project).version(TestData.MYSQL80).size(1.0));
        BackupRow goneRow = new BackupRow(project).size(1.0);
        String gone = goneRow.insert(jdbc);
        String largeMysql = new BackupRow(project).version(TestData.MYSQL80).size(3.0).insert(jdbc);

        for (String hidden : new String[] {unknown, foreign, deleted}) {
            assertRefused(restore(hidden, 2), 404, "itemNotFound", "Resource " + hidden + " cannot be found.");
        }
        assertRefused(restore(running, 2), 409, "conflict", "Unable to create instance because backup " + running
                + " is not completed. Actual state: BUILDING.");
        assertRefused(restore(failed, 2), 409, "conflict", "Unable to create instance because backup " + failed
                + " is not completed. Actual state: FAILED.");
        assertRefused(restore(large, 2), 403, "forbidden", "Backup is too large for given flavor or volume. "
                + "Backup size: 2.5 GBs. Available size: 2 GBs.");
        assertRefused(restore(largeMysql, 2), 403, "forbidden", "Backup is too large for given flavor or volume. "
                + "Backup size: 3.0 GBs. Available size: 2 GBs.");
        assertRefused(restore(gone, 2), 404, "itemNotFound", "Backup file in " + goneRow.location()
                + " was not found in the object storage.");
        assertRefused(restore(mysql, 2), 400, "badRequest", "The datastore from which the backup was taken, mysql, "
                + "does not match the destination datastore of postgresql.");

        assertThat(count("SELECT count(*) FROM instances WHERE tenant_id = ?", project)).isZero();
        assertThat(count("SELECT coalesce(sum(in_use + reserved), 0) FROM quota_usages WHERE tenant_id = ?", project))
                .isZero();
        assertThat(casts.settled(c -> project.equals(c.context().projectId()))).isEmpty();
    }

    private static void assertRefused(Api.Response response, int status, String fault, String message) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.fault()).isEqualTo(fault);
        assertThat(response.json().get(fault).get("message").asText()).isEqualTo(message);
    }
}
