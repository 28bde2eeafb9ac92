package org.trovej.api.blockstorage;

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
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;
import org.trovej.api.support.TestData.InstanceRow;

/**
 * The Cinder v3 subset TroveJ serves on the local back end (noauth: project and roles from the headers), directly
 * and through the real python-cinderclient (Debian's python3-cinderclient, which python3-openstackclient brings).
 */
class BlockStorageApiTest extends ApiIntegrationTest {

    private Api.Response get(String path, String project) {
        return api.get("/volume/v3/" + project + path, "X-Project-Id", project);
    }

    @Test
    void versionsAreOpenAndTheDefaultTypeIsListed() {
        String project = TestData.project();
        Api.Response versions = api.get("/volume/");
        Api.Response types = get("/types?is_public=None", project);
        Api.Response byName = get("/types/__DEFAULT__", project);
        Api.Response missing = get("/types/gold", project);

        assertThat(versions.status()).isEqualTo(200);
        assertThat(versions.json().at("/versions/0/id").asText()).isEqualTo("v3.0");
        assertThat(types.status()).isEqualTo(200);
        assertThat(types.json().get("volume_types")).hasSize(1);
        assertThat(types.json().at("/volume_types/0/name").asText()).isEqualTo("__DEFAULT__");
        assertThat(byName.json().at("/volume_type/id").asText())
                .isEqualTo(types.json().at("/volume_types/0/id").asText());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/itemNotFound/message").asText())
                .isEqualTo("Volume type with name gold could not be found.");
    }

    @Test
    void limitsCountThePathsProjectsVolumes() {
        // as the Trove API's paths: the project of the path is checked against the caller's token (keystone mode;
        // in noauth mode the path names the caller's project)
        String project = TestData.project();
        new InstanceRow(project).server("ACTIVE").volume(4).insert(jdbc);
        new InstanceRow(TestData.project()).server("ACTIVE").volume(9).insert(jdbc);

        JsonNode absolute = get("/limits", project).json().at("/limits/absolute");

        assertThat(absolute.get("totalVolumesUsed").asInt()).isEqualTo(1);
        assertThat(absolute.get("totalGigabytesUsed").asInt()).isEqualTo(4);
        assertThat(absolute.get("maxTotalVolumeGigabytes").asInt()).isEqualTo(-1);
    }

    @Test
    void cinderclientReadsTypesAndTheProjectsVolumes() throws Exception {
        String project = TestData.project();
        new InstanceRow(project).server("ACTIVE").volume(3).insert(jdbc);
        new InstanceRow(project).server("ACTIVE").volume(5).insert(jdbc);
        Path script = Files.createTempFile("cinderclient-calls", ".py");
        try (InputStream in = getClass().getResourceAsStream("/blockstorage/cinderclient_calls.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process process = new ProcessBuilder("/usr/bin/python3", script.toString(),
                    "http://127.0.0.1:" + port + "/volume/v3/" + project, project).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("cinderclient_calls.py timed out");
            }
            assertThat(process.exitValue()).as(err).isZero();
            JsonNode read = new ObjectMapper().readTree(out);

            assertThat(read.at("/types/0/name").asText()).isEqualTo("__DEFAULT__");
            assertThat(read.at("/types/0/is_public").asBoolean()).isTrue();
            assertThat(read.get("volumes_used").asInt()).isEqualTo(2);
            assertThat(read.get("gigabytes_used").asInt()).isEqualTo(8);
            assertThat(read.get("max_volumes").asInt()).isEqualTo(-1);
        } catch (IOException e) {
            throw new AssertionError("could not run /usr/bin/python3 (Debian's python3-cinderclient)", e);
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
