package org.trovej.api.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/**
 * The compute API read by the real python-novaclient the way Horizon calls it (session, endpoint override,
 * version "2"): version discovery, flavors, zones, limits, the Overview's usage, and servers with {@code all_tenants} as tempest's
 * resize test lists them. Skipped where {@code /usr/bin/python3} has no novaclient (Debian's
 * python3-novaclient).
 */
class NovaClientTest extends ApiIntegrationTest {

    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void horizonsCallsThroughNovaclient() throws Exception {
        // python3-novaclient comes with python3-openstackclient, which scripts/ensure-services installs
        assertThat(run(PYTHON, "-c", "import novaclient, keystoneauth1").exitValue())
                .as("python3-novaclient is not installed: run scripts/ensure-services").isZero();
        String project = TestData.project();
        String name = "nc-" + project;
        String id = new InstanceRow(project).name(name).flavor("3").server("ACTIVE")
                .addresses("[{\"address\": \"127.0.10.9\", \"type\": \"private\", \"network\": \"local\"}]")
                .insert(jdbc);
        String server = jdbc.queryForObject("SELECT compute_instance_id FROM instances WHERE id = ?", String.class,
                id);
        Path script = Files.createTempFile("novaclient-calls", ".py");
        try (InputStream in = getClass().getResourceAsStream("/compute/novaclient_calls.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process process = run(PYTHON, script.toString(), "http://127.0.0.1:" + port + "/compute/v2.1", project,
                    "admin", name);
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(err).isZero();
            JsonNode read = new ObjectMapper().readTree(out);

            assertThat(read.get("version").asText()).isEqualTo("2.1");
            assertThat(read.at("/flavors/2").asText()).isEqualTo("m1.small");
            assertThat(read.at("/flavor/ram").asInt()).isEqualTo(2048);
            assertThat(read.at("/flavor/is_public").asBoolean()).isTrue();
            assertThat(read.at("/zones/0/name").asText()).isEqualTo("nova");
            assertThat(read.at("/zones/0/available").asBoolean()).isTrue();
            assertThat(read.get("instances_used").asInt()).isEqualTo(1);
            assertThat(read.get("all_tenants")).hasSize(1);
            assertThat(read.at("/all_tenants/0/id").asText()).isEqualTo(server);
            assertThat(read.at("/all_tenants/0/flavor").asText()).isEqualTo("3");
            assertThat(read.at("/own/0").asText()).isEqualTo(server);
            assertThat(read.at("/shown/status").asText()).isEqualTo("ACTIVE");
            assertThat(read.at("/shown/networks/local/0").asText()).isEqualTo("127.0.10.9");
            assertThat(read.at("/shown/zone").asText()).isEqualTo("nova");
            assertThat(read.at("/usage/servers/0").asText()).isEqualTo(name);
            assertThat(read.at("/usage/total_hours").asDouble()).isGreaterThan(0);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static Process run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return process;
    }
}
