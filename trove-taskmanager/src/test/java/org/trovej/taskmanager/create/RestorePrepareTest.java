package org.trovej.taskmanager.create;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.common.backup.RestoreInfo;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.service.objectstore.StoreTokens;
import org.trovej.taskmanager.TaskManagerApplication;
import org.trovej.taskmanager.compute.Volume;
import org.trovej.taskmanager.compute.VolumeStatus;
import org.trovej.taskmanager.instance.InstanceRow;
import org.trovej.testsupport.SpringTestProperties;

/**
 * A restore's {@code prepare}, as the guest will read it: {@code backup_info} is the backup's RestoreInfo with the
 * account URL of the backup's project, and the context carries a grant to that backup's objects in the container
 * its location names, and to nothing else.
 */
@SpringBootTest(classes = TaskManagerApplication.class)
class RestorePrepareTest {

    private static final String STORE = "http://127.0.0.1:18779";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SpringTestProperties.register(registry);
        registry.add("trovej.taskmanager.auto-startup", () -> "false");
        registry.add("trovej.object-store.url", () -> STORE + "/");
    }

    @Autowired
    PrepareArguments arguments;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    StoreTokens tokens;

    private final Flavor flavor = new Flavor("f1", "small", 512, 1, 1, 0);

    @Test
    void aRestoreCarriesRestoreInfoWithSwiftUrlAndAGrantToTheBackup() {
        String backupId = UUID.randomUUID().toString();
        String location = STORE + "/v1/AUTH_tenant-b/my_backups/" + backupId + ".tar.gz.enc";
        jdbc.update("""
                INSERT INTO backups (id, name, tenant_id, state, location, backup_type, checksum, storage_driver,
                                     created, updated, deleted)
                VALUES (?, 'b', 'tenant-b', 'COMPLETED', ?, 'full', '0123456789abcdef0123456789abcdef', 'swift',
                        timezone('UTC', now()), timezone('UTC', now()), false)
                """, backupId, location);
        CreateInstanceRequest request = CreateInstanceRequest.builder(UUID.randomUUID().toString(), "restored",
                flavor, "postgresql").backupId(backupId).build();

        ObjectNode args = arguments.build(RpcContext.user("user-1", "tenant-b", false), request,
                row(request.instanceId()), volume(), null);
        RestoreInfo info = RestoreInfo.fromWire(args.get("backup_info"));
        assertThat(info).isEqualTo(new RestoreInfo(backupId, null, location, "full",
                "0123456789abcdef0123456789abcdef", "swift", STORE + "/v1/AUTH_tenant-b"));

        RpcContext context = arguments.context(RpcContext.user("user-1", "tenant-b", false), request, null);
        StoreTokens.StoreGrant grant = tokens.verify(context.text("auth_token")).orElseThrow();
        assertThat(grant.allows("tenant-b", "my_backups", backupId + ".tar.gz.enc")).isTrue();
        assertThat(grant.allows("tenant-b", "my_backups", backupId + ".tar.gz.enc_00000002")).isTrue();
        assertThat(grant.allows("tenant-b", "database_backups", backupId + ".tar.gz.enc")).isFalse();
        assertThat(grant.allows("tenant-b", "my_backups", UUID.randomUUID() + ".tar.gz.enc")).isFalse();
        assertThat(grant.allows("tenant-a", "my_backups", backupId + ".tar.gz.enc")).isFalse();
        assertThat(context.requestId()).as("the create's own context otherwise").startsWith("req-");
    }

    @Test
    void anIncrementalsRestoreMayReadItsWholeChainAndWriteNothingOfIt() {
        String full = UUID.randomUUID().toString();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        insert(full, null, "full");
        insert(first, full, "incremental");
        insert(second, first, "incremental");
        CreateInstanceRequest request = CreateInstanceRequest.builder(UUID.randomUUID().toString(), "restored",
                flavor, "postgresql").backupId(second).build();

        RpcContext context = arguments.context(RpcContext.user("user-1", "tenant-b", false), request, null);
        StoreTokens.StoreGrant grant = tokens.verify(context.text("auth_token")).orElseThrow();
        assertThat(grant.allows("tenant-b", "my_backups", second + ".tar.gz.enc")).isTrue();
        for (String ancestor : new String[] {full, first}) {
            assertThat(grant.allowsRead("tenant-b", "my_backups", ancestor + ".tar.gz.enc")).isTrue();
            assertThat(grant.allowsRead("tenant-b", "my_backups", ancestor + ".tar.gz.enc_00000001")).isTrue();
            assertThat(grant.allows("tenant-b", "my_backups", ancestor + ".tar.gz.enc")).isFalse();
        }
        assertThat(grant.allowsRead("tenant-b", "my_backups", UUID.randomUUID() + ".tar.gz.enc")).isFalse();
    }

    private void insert(String id, String parent, String type) {
        jdbc.update("""
                INSERT INTO backups (id, name, tenant_id, state, location, backup_type, checksum, storage_driver,
                                     parent_id, created, updated, deleted)
                VALUES (?, 'b', 'tenant-b', 'COMPLETED', ?, ?, '0123456789abcdef0123456789abcdef', 'swift', ?,
                        timezone('UTC', now()), timezone('UTC', now()), false)
                """, id, STORE + "/v1/AUTH_tenant-b/my_backups/" + id + ".tar.gz.enc", type, parent);
    }

    @Test
    void aPlainCreateHasNoBackupInfoAndNoGrant() {
        CreateInstanceRequest request = CreateInstanceRequest.builder(UUID.randomUUID().toString(), "plain", flavor,
                "postgresql").build();
        RpcContext context = RpcContext.user("user-1", "tenant-b", false);
        ObjectNode args = arguments.build(context, request, row(request.instanceId()), volume(), null);
        assertThat(args.get("backup_info").isNull()).isTrue();
        assertThat(arguments.context(context, request, null).text("auth_token")).isNull();
    }

    private static InstanceRow row(String id) {
        return new InstanceRow(id, "restored", "tenant-b", 5, "f1", 1, "vol-1", null, "BUILD", false, null,
                "16", "16.4", "postgresql", null, null, "new");
    }

    private static Volume volume() {
        return new Volume("vol-1", 1, VolumeStatus.values()[0], "/dev/vdb", "/var/lib/postgresql");
    }
}
