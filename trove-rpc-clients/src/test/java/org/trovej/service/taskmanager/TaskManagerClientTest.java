package org.trovej.service.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.common.backup.BackupParent;
import org.trovej.common.backup.BackupRequest;
import org.trovej.common.backup.BackupType;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcEndpoint;
import org.trovej.common.rpc.RpcServer;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.service.TroveProperties;
import org.trovej.testsupport.SpringTestProperties;

/** The backup casts as a task manager receives them: over the broker, sealed with the task manager's key. */
@SpringBootTest(classes = TaskManagerClientTest.Services.class)
class TaskManagerClientTest {

    private static final String TOPIC = "taskmanager-clienttest-" + UUID.randomUUID();

    /** The service core and the RPC clients alone, as the API gets them. */
    @SpringBootApplication
    static class Services {
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SpringTestProperties.register(registry);
        registry.add("trovej.rpc.taskmanager-queue", () -> TOPIC);
    }

    @Autowired
    TaskManagerClient taskManager;
    @Autowired
    RpcTransport transport;
    @Autowired
    TroveProperties properties;

    private record Received(RpcContext context, RpcArgs args) {
    }

    @Test
    void createBackupAndDeleteBackupCastTroveArguments() throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        RpcEndpoint endpoint = RpcEndpoint.builder("1.0")
                .sync("create_backup", (ctx, a) -> {
                    received.add(new Received(ctx, a));
                    return null;
                })
                .sync("delete_backup", (ctx, a) -> {
                    received.add(new Received(ctx, a));
                    return null;
                })
                .build();
        try (RpcServer server = new RpcServer(transport, TOPIC, null,
                new SecureSerializer(properties.keys().taskmanagerRpcEncrKey()), endpoint,
                RpcServer.Options.defaults()).start()) {
            String backupId = UUID.randomUUID().toString();
            String instanceId = UUID.randomUUID().toString();
            BackupRequest request = new BackupRequest(backupId, "nightly", null, instanceId,
                    BackupType.INCREMENTAL, null, new BackupParent("http://store/v1/AUTH_p/c/parent", "abc"),
                    "postgresql", "16", "swift", "mine", null);

            taskManager.createBackup(RpcContext.user("u1", "p1", false), request);
            Received create = received.poll(10, TimeUnit.SECONDS);
            assertThat(create).as("create_backup delivered").isNotNull();
            assertThat(create.args().asObject().toString()).isEqualTo("{\"backup_info\":{\"id\":\"" + backupId
                    + "\",\"name\":\"nightly\",\"description\":null,\"instance_id\":\"" + instanceId
                    + "\",\"backup_type\":\"incremental\",\"checksum\":null,\"parent\":{\"location\":"
                    + "\"http://store/v1/AUTH_p/c/parent\",\"checksum\":\"abc\"},\"datastore\":\"postgresql\","
                    + "\"datastore_version\":\"16\",\"storage_driver\":\"swift\",\"swift_container\":\"mine\"},"
                    + "\"instance_id\":\"" + instanceId + "\"}");
            assertThat(create.context().projectId()).isEqualTo("p1");
            assertThat(BackupRequest.fromWire(create.args().required("backup_info"))).isEqualTo(request);

            taskManager.deleteBackup(RpcContext.user("u1", "p1", false), backupId);
            Received delete = received.poll(10, TimeUnit.SECONDS);
            assertThat(delete).as("delete_backup delivered").isNotNull();
            assertThat(delete.args().asObject().toString()).isEqualTo("{\"backup_id\":\"" + backupId + "\"}");
        }
    }
}
