package org.trovej.api.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.BackupRow;
import org.trovej.api.support.CastRecorder;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/** POST /backups: the view, the record, the cast on the broker, the quota, and every refusal writing nothing. */
class BackupCreateTest extends ApiIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String project = TestData.project();

    private String path() {
        return "/v1.0/" + project + "/backups";
    }

    private Api.Response create(String backupJson) {
        return api.post(path(), "{\"backup\": " + backupJson + "}");
    }

    private int backupsInUse() {
        return count("SELECT coalesce(sum(in_use), 0) FROM quota_usages WHERE tenant_id = ? AND resource = 'backups'",
                project);
    }

    private int backupsReserved() {
        return count("SELECT coalesce(sum(reserved), 0) FROM quota_usages WHERE tenant_id = ?", project);
    }

    private int records() {
        return count("SELECT count(*) FROM backups WHERE tenant_id = ?", project);
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void createAnswers202WithTroveViewRecordsNewAndCastsCreateBackup() {
        String instance = new InstanceRow(project).insert(jdbc);

        Api.Response response = create("{\"name\": \"nightly\", \"description\": \"before the upgrade\", "
                + "\"instance\": \"" + instance + "\"}");

        assertThat(response.status()).isEqualTo(202);
        JsonNode backup = response.json().get("backup");
        String id = backup.get("id").asText();
        assertThat(keys(backup)).containsExactly("id", "name", "description", "locationRef", "instance_id", "created",
                "updated", "size", "status", "parent_id", "project_id", "datastore");
        assertThat(backup.get("name").asText()).isEqualTo("nightly");
        assertThat(backup.get("description").asText()).isEqualTo("before the upgrade");
        assertThat(backup.get("locationRef").isNull()).isTrue();
        assertThat(backup.get("instance_id").asText()).isEqualTo(instance);
        assertThat(backup.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(backup.get("updated").asText()).isEqualTo(backup.get("created").asText());
        assertThat(backup.get("size").isNull()).isTrue();
        assertThat(backup.get("status").asText()).isEqualTo("NEW");
        assertThat(backup.get("parent_id").isNull()).isTrue();
        assertThat(backup.get("project_id").asText()).isEqualTo(project);
        assertThat(backup.get("datastore").toString()).isEqualTo("{\"type\":\"postgresql\",\"version\":\"16\","
                + "\"version_id\":\"" + TestData.PG16 + "\"}");

        assertThat(jdbc.queryForMap("SELECT state, backup_type, storage_driver, tenant_id, instance_id, "
                + "datastore_version_id, parent_id, location, deleted FROM backups WHERE id = ?", id))
                .containsEntry("state", "NEW").containsEntry("backup_type", "full")
                .containsEntry("storage_driver", "swift").containsEntry("tenant_id", project)
                .containsEntry("instance_id", instance).containsEntry("datastore_version_id", TestData.PG16)
                .containsEntry("parent_id", null).containsEntry("location", null).containsEntry("deleted", false);

        CastRecorder.Cast cast = casts.awaitBackup("create_backup", id);
        assertThat(cast.args().toString()).isEqualTo("{\"backup_info\":{\"id\":\"" + id + "\",\"name\":\"nightly\","
                + "\"description\":\"before the upgrade\",\"instance_id\":\"" + instance + "\",\"backup_type\":"
                + "\"full\",\"checksum\":null,\"parent\":null,\"datastore\":\"postgresql\",\"datastore_version\":"
                + "\"16\",\"storage_driver\":\"swift\",\"swift_container\":null},\"instance_id\":\"" + instance
                + "\"}");
        assertThat(cast.context().projectId()).isEqualTo(project);
        assertThat(cast.context().requestId()).isEqualTo(response.header("x-openstack-request-id"));
        assertThat(backupsInUse()).isEqualTo(1);
        assertThat(backupsReserved()).isZero();

        assertThat(api.get("/v1.0/" + project + "/instances/" + instance).json().at("/instance/status").asText())
                .isEqualTo("BACKUP");
        Api.Response second = create("{\"name\": \"again\", \"instance\": \"" + instance + "\"}");
        assertThat(second.status()).isEqualTo(422);
        assertThat(second.json().at("/unprocessableEntity/message").asText()).isEqualTo("Instance " + instance
                + " is not currently available for an action to be performed (instance status was BACKUP).");
        assertThat(records()).isEqualTo(1);
        assertThat(backupsInUse()).isEqualTo(1);
    }

    @Test
    void incrementalsTakeTheGivenParentOrTheNewestCompletedBackupOfTheInstance() {
        String instance = new InstanceRow(project).insert(jdbc);
        BackupRow older = new BackupRow(project).instance(instance).updated(TestData.nowUtc().minusHours(3));
        String olderId = older.insert(jdbc);
        BackupRow newer = new BackupRow(project).instance(instance).updated(TestData.nowUtc().minusHours(2));
        String newerId = newer.insert(jdbc);
        new BackupRow(project).instance(instance).state("FAILED").updated(TestData.nowUtc().minusHours(1))
                .insert(jdbc);

        Api.Response latest = create("{\"name\": \"inc\", \"instance\": \"" + instance + "\", \"incremental\": 1}");
        assertThat(latest.status()).isEqualTo(202);
        String incId = latest.json().at("/backup/id").asText();
        assertThat(latest.json().at("/backup/parent_id").asText()).isEqualTo(newerId);
        JsonNode info = casts.awaitBackup("create_backup", incId).args().get("backup_info");
        assertThat(info.get("backup_type").asText()).isEqualTo("incremental");
        assertThat(info.get("parent").toString()).isEqualTo("{\"location\":\"" + newer.location()
                + "\",\"checksum\":\"" + newer.checksum() + "\"}");
        assertThat(jdbc.queryForObject("SELECT backup_type FROM backups WHERE id = ?", String.class, incId))
                .isEqualTo("incremental");

        jdbc.update("UPDATE backups SET state = 'COMPLETED' WHERE id = ?", incId);
        Api.Response given = create("{\"name\": \"inc2\", \"instance\": \"" + instance + "\", \"parent_id\": \""
                + olderId + "\", \"incremental\": 1}");
        assertThat(given.status()).isEqualTo(202);
        assertThat(given.json().at("/backup/parent_id").asText()).as("parent_id wins over incremental")
                .isEqualTo(olderId);

        String fresh = new InstanceRow(project).insert(jdbc);
        Api.Response nothingToBuildOn = create("{\"name\": \"first\", \"instance\": \"" + fresh
                + "\", \"incremental\": 1}");
        assertThat(nothingToBuildOn.status()).isEqualTo(202);
        assertThat(nothingToBuildOn.json().at("/backup/parent_id").isNull()).isTrue();
        assertThat(casts.awaitBackup("create_backup", nothingToBuildOn.json().at("/backup/id").asText()).args()
                .at("/backup_info/backup_type").asText()).isEqualTo("full");
        assertThat(backupsInUse()).isEqualTo(3);
    }

    @Test
    void theContainerIsTheRequestsElseTheInstancesStrategyElseTheProjects() {
        String withOwn = new InstanceRow(project).insert(jdbc);
        String withoutOwn = new InstanceRow(project).insert(jdbc);
        String named = new InstanceRow(project).insert(jdbc);
        String strategies = "/v1.0/" + project + "/backup_strategies";
        assertThat(api.post(strategies, "{\"backup_strategy\": {\"swift_container\": \"project-wide\"}}").status())
                .isEqualTo(202);
        assertThat(api.post(strategies, "{\"backup_strategy\": {\"swift_container\": \"own\", \"instance_id\": \""
                + withOwn + "\"}}").status()).isEqualTo(202);

        assertThat(containerOf(create("{\"name\": \"a\", \"instance\": \"" + withOwn + "\"}"))).isEqualTo("own");
        assertThat(containerOf(create("{\"name\": \"b\", \"instance\": \"" + withoutOwn + "\"}")))
                .isEqualTo("project-wide");
        assertThat(containerOf(create("{\"name\": \"c\", \"instance\": \"" + named
                + "\", \"swift_container\": \"mine\"}"))).isEqualTo("mine");
    }

    private String containerOf(Api.Response created) {
        assertThat(created.status()).isEqualTo(202);
        return casts.awaitBackup("create_backup", created.json().at("/backup/id").asText()).args()
                .at("/backup_info/swift_container").asText();
    }

    @Test
    void refusalsAnswerTroveFaultsAndWriteNothing() {
        String active = new InstanceRow(project).insert(jdbc);
        String resizing = new InstanceRow(project).task(0x04).insert(jdbc);
        String otherProjects = new InstanceRow(TestData.project()).insert(jdbc);
        String clustered = new InstanceRow(project).insert(jdbc);
        String cluster = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO clusters (id, name, tenant_id, task_id, datastore_version_id, created, updated) "
                + "VALUES (?, 'c', ?, 1, ?, now(), now())", cluster, project, TestData.PG16);
        jdbc.update("UPDATE instances SET cluster_id = ? WHERE id = ?", cluster, clustered);
        String elsewhere = new InstanceRow(project).insert(jdbc);
        String foreignParent = new BackupRow(project).instance(elsewhere).insert(jdbc);
        int before = records();
        String unknown = UUID.randomUUID().toString();

        assertRefused(api.post(path(), "{}"), 400, "badRequest",
                "Validation error: 'backup' is a required property");
        assertRefused(create("{\"instance\": \"" + active + "\"}"), 400, "badRequest",
                "Validation error: backup 'name' is a required property");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + active + "\", \"incremental\": true}"), 400,
                "badRequest", "Validation error: backup['incremental'] True is not of type 'integer'");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"i-1\"}"), 400, "badRequest",
                "Validation error: backup['instance'] 'i-1' does not match '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-"
                        + "([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$'");
        assertRefused(create("{\"name\": \"x\"}"), 400, "badRequest", "instance is missing.");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + active + "\", \"swift_container\": \"a;b\"}"),
                400, "badRequest", "The value is not allowed: a;b.");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + active + "\", \"storage_driver\": \"cinder\"}"),
                400, "badRequest", "Storage driver 'cinder' is not supported: backups are stored through Swift's "
                        + "API ('swift').");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + unknown + "\"}"), 404, "itemNotFound",
                "Resource " + unknown + " cannot be found.");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + otherProjects + "\"}"), 404, "itemNotFound",
                "Resource " + otherProjects + " cannot be found.");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + resizing + "\"}"), 422, "unprocessableEntity",
                "Instance " + resizing + " is not currently available for an action to be performed (task status "
                        + "was RESIZING).");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + clustered + "\"}"), 501, "notImplemented",
                "Operation not supported for instances that are part of a cluster.");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + active + "\", \"parent_id\": \"" + unknown
                + "\"}"), 404, "itemNotFound", "Resource " + unknown + " cannot be found.");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + active + "\", \"parent_id\": \"" + foreignParent
                + "\"}"), 400, "badRequest", "Backup " + foreignParent + " is not a backup of instance " + active
                + ".");

        assertThat(api.put("/v1.0/" + project + "/mgmt/quotas/" + project, "{\"quotas\": {\"backups\": 0}}",
                AS_ADMIN).status()).isEqualTo(200);
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + resizing + "\"}"), 422, "unprocessableEntity",
                "Instance " + resizing + " is not currently available for an action to be performed (task status "
                        + "was RESIZING).");
        assertRefused(create("{\"name\": \"x\", \"instance\": \"" + active + "\"}"), 413, "overLimit",
                "Quota exceeded for resources: ['backups'].");
        assertRefused(create("{\"name\": \"x\", \"restore_from\": {\"remote_location\": \"http://s/v1/AUTH_p/c/o\", "
                + "\"local_datastore_version_id\": \"" + TestData.PG16 + "\", \"size\": 1}}"), 413, "overLimit",
                "Quota exceeded for resources: ['backups'].");

        assertThat(records()).isEqualTo(before);
        assertThat(backupsInUse()).isZero();
        assertThat(backupsReserved()).isZero();
        assertThat(count("SELECT count(*) FROM reservations r JOIN quota_usages u ON u.id = r.usage_id "
                + "WHERE u.tenant_id = ?", project)).isZero();
        assertThat(casts.settled(c -> project.equals(c.context().projectId()))).isEmpty();
    }

    private static void assertRefused(Api.Response response, int status, String fault, String message) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().toString()).isEqualTo("{\"" + fault + "\":{\"code\":" + status + ",\"message\":"
                + JSON.valueToTree(message) + "}}");
    }

    @Test
    void restoreFromRegistersARestoredBackupWithoutACast() {
        Api.Response response = create("{\"name\": \"imported\", \"restore_from\": {\"remote_location\": "
                + "\"http://store:8080/v1/AUTH_x/database_backups/b1.tar.gz\", \"local_datastore_version_id\": \""
                + TestData.PG16 + "\", \"size\": 0.25}}");

        assertThat(response.status()).isEqualTo(202);
        JsonNode backup = response.json().get("backup");
        String id = backup.get("id").asText();
        assertThat(backup.get("status").asText()).isEqualTo("RESTORED");
        assertThat(backup.get("locationRef").asText())
                .isEqualTo("http://store:8080/v1/AUTH_x/database_backups/b1.tar.gz");
        assertThat(backup.get("size").asDouble()).isEqualTo(0.25);
        assertThat(backup.get("instance_id").isNull()).isTrue();
        assertThat(backup.at("/datastore/version_id").asText()).isEqualTo(TestData.PG16);
        assertThat(jdbc.queryForMap("SELECT backup_type, checksum, storage_driver FROM backups WHERE id = ?", id))
                .containsEntry("backup_type", "full").containsEntry("checksum", null)
                .containsEntry("storage_driver", "swift");
        assertThat(backupsInUse()).isEqualTo(1);

        String unknown = UUID.randomUUID().toString();
        assertRefused(create("{\"name\": \"x\", \"restore_from\": {\"remote_location\": \"http://s/o\", "
                + "\"local_datastore_version_id\": \"" + unknown + "\", \"size\": 1}}"), 400, "badRequest",
                "Datastore version '" + unknown + "' cannot be found.");
        assertRefused(create("{\"name\": \"x\", \"restore_from\": {\"remote_location\": \"http://s/o\", "
                + "\"local_datastore_version_id\": \"" + TestData.PG16 + "\", \"size\": \"big\"}}"), 400,
                "badRequest", "Validation error: backup['restore_from']['size'] 'big' is not of type 'number'");
        assertThat(records()).isEqualTo(1);
        assertThat(backupsInUse()).isEqualTo(1);
        assertThat(casts.settled(c -> c.method().equals("create_backup") && project.equals(c.context().projectId())))
                .isEmpty();
    }
}
