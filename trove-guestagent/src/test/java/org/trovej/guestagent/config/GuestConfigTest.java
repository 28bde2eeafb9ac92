package org.trovej.guestagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestConfigTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void laterFilesOverrideEarlierOnesKeyByKeyAndDefaultsApply() throws Exception {
        Path guestInfo = write("guest_info.conf", """
                [DEFAULT]
                guest_id = 7de1bed8-0000-4000-8000-000000000001
                datastore_manager = postgresql
                datastore_version = 15
                tenant_id = t1
                instance_rpc_encr_key = abcdefghijklmnopqrstuvwxyz012345
                report_interval = 60
                """);
        Path agentConf = write("trove-guestagent.conf", """
                # comment
                [DEFAULT]
                transport_url = rabbit://user:p%40ss@mq.example:5673/
                report_interval = 10
                control-exchange = "trove_x"

                [postgresql]
                bind_host = 127.0.10.20
                data_dir: /var/lib/pg
                """);
        GuestConfig config = GuestConfig.fromArgs(new String[] {"--config-file", guestInfo.toString(),
                "--config-file=" + agentConf}).validate();
        assertThat(config.guestId()).isEqualTo("7de1bed8-0000-4000-8000-000000000001");
        assertThat(config.datastoreManager()).isEqualTo("postgresql");
        assertThat(config.rpcKey()).isEqualTo("abcdefghijklmnopqrstuvwxyz012345");
        assertThat(config.reportInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.controlExchange()).isEqualTo("trove_x");
        assertThat(config.conductorQueue()).isEqualTo("trove-conductor");
        assertThat(config.amqpUri()).isEqualTo("amqp://user:p%40ss@mq.example:5673/%2F");
        assertThat(config.section("postgresql")).containsEntry("bind_host", "127.0.10.20")
                .containsEntry("data_dir", "/var/lib/pg");
    }

    @Test
    void anEmptyKeyMeansPlaintextRpcAndAMissingGuestIdIsRefused() throws Exception {
        Path conf = write("a.conf", """
                [DEFAULT]
                guest_id =
                datastore_manager = postgresql
                instance_rpc_encr_key =
                transport_url = rabbit://guest:guest@localhost//
                """);
        GuestConfig config = GuestConfig.fromArgs(new String[] {"--config-file", conf.toString()});
        assertThat(config.rpcKey()).isNull();
        assertThat(config.controlExchange()).isEqualTo("trove");
        assertThatThrownBy(config::validate).hasMessageContaining("guest_id is not set");
    }

    @Test
    void configDirReadsConfFilesInNameOrderAndMissingFilesAreErrors() throws Exception {
        Path confDir = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(confDir.resolve("20-b.conf"), "[DEFAULT]\nguest_id = second\n");
        Files.writeString(confDir.resolve("10-a.conf"), "[DEFAULT]\nguest_id = first\ntenant_id = t\n");
        Files.writeString(confDir.resolve("ignored.txt"), "[DEFAULT]\nguest_id = nope\n");
        GuestConfig config = GuestConfig.fromArgs(new String[] {"--config-dir", confDir.toString()});
        assertThat(config.guestId()).isEqualTo("second");
        assertThat(config.tenantId()).isEqualTo("t");
        assertThatThrownBy(() -> GuestConfig.fromArgs(new String[] {"--config-file", dir.resolve("nope").toString()}))
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> GuestConfig.fromArgs(new String[] {"--verbose"}))
                .hasMessageContaining("unknown argument");
    }

    @Test
    void multiLineValuesAndQuotesAreReadAsOsloReadsThem() {
        IniFile ini = IniFile.parse(java.util.List.of("[DEFAULT]", "a = 'quoted value'", "b = first",
                "    second", "; comment", "c=\"x\""), "test");
        assertThat(ini.get("DEFAULT", "a")).isEqualTo("quoted value");
        assertThat(ini.get("DEFAULT", "b")).isEqualTo("first\nsecond");
        assertThat(ini.get("DEFAULT", "c")).isEqualTo("x");
        assertThatThrownBy(() -> IniFile.parse(java.util.List.of("a = b"), "x")).hasMessageContaining("before any");
    }

    @Test
    void transportUrlsBecomeAmqpUris() {
        assertThat(TransportUrl.toAmqpUri("rabbit://guest:guest@127.0.0.1:5672/trove_test_1"))
                .isEqualTo("amqp://guest:guest@127.0.0.1:5672/trove_test_1");
        assertThat(TransportUrl.toAmqpUri("rabbit://guest:guest@10.0.0.5/"))
                .isEqualTo("amqp://guest:guest@10.0.0.5:5672/%2F");
        assertThat(TransportUrl.toAmqpUri("rabbit://u:p@h1:5672,u:p@h2:5672/vh?ssl=1"))
                .isEqualTo("amqps://u:p@h1:5672/vh");
        assertThat(TransportUrl.toAmqpUri("rabbit://u:p@mq?ssl=true")).isEqualTo("amqps://u:p@mq:5671/%2F");
        assertThat(TransportUrl.toAmqpUri("rabbit://u:p@[::1]:5672/")).isEqualTo("amqp://u:p@[::1]:5672/%2F");
        assertThatThrownBy(() -> TransportUrl.toAmqpUri("kafka://x")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> TransportUrl.toAmqpUri("")).hasMessageContaining("not set");
    }
}
