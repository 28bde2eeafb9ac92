package org.trovej.taskmanager.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.taskmanager.CreateInstanceRequest;
import org.trovej.common.guest.GuestSchema;
import org.trovej.conductor.ConductorApplication;
import org.trovej.service.flavor.FlavorCatalog;
import org.trovej.service.keys.InstanceKeyStore;
import org.trovej.taskmanager.TaskManagerApplication;
import org.trovej.taskmanager.compute.local.LocalComputeDriver;

/**
 * A build finishes when its guest reports, not at the build monitor's next poll: with a poll interval far longer
 * than a build takes, the conductor's notification at commit is what ends it.
 */
@SpringBootTest(classes = {TaskManagerApplication.class, ConductorApplication.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildWakeupTest {

    private static final LocalCloud CLOUD = new LocalCloud("wakeup");
    private static final Duration POLL = Duration.ofSeconds(120);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CLOUD.register(registry);
        registry.add("trovej.taskmanager.poll-interval", () -> POLL.toMillis() + "ms");
    }

    @Autowired
    org.trovej.service.taskmanager.TaskManagerClient taskManager;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    InstanceKeyStore keys;
    @Autowired
    FlavorCatalog flavors;
    @Autowired
    LocalComputeDriver compute;

    @AfterAll
    void powerEverythingOff() {
        compute.serverIds().forEach(compute::powerOff);
        CLOUD.deleteState();
    }

    @Test
    void aHealthyReportEndsTheBuildLongBeforeThePoll() throws Exception {
        Flavor small = flavors.find("d1").orElseThrow();
        String id = LocalCloud.insertBuildingInstance(jdbc, keys, LocalCloud.versionId(jdbc, "15"), small.id(), 1);
        long start = System.nanoTime();
        taskManager.createInstance(RpcContext.user("user-1", "tenant-1", false),
                CreateInstanceRequest.builder(id, "woken", small, "postgresql")
                        .databases(List.of(GuestSchema.named("appdb"))).volumeSize(1).dsVersion("15").build());
        LocalCloud.await("the build to finish", Duration.ofSeconds(60), () ->
                ((Number) LocalCloud.row(jdbc, id).get("task_id")).intValue() != 5);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        Map<String, Object> built = LocalCloud.row(jdbc, id);
        assertThat(built).containsEntry("task_id", 1).containsEntry("status_description", "healthy");
        assertThat(took).isLessThan(POLL.dividedBy(2));
    }
}
