package org.trovej.guestagent.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PostgresConfigTest {

    @Test
    void memorySettingsScaleWithTheFlavor() {
        Map<String, String> small = PostgresTuning.forMemory(512);
        assertThat(small).containsEntry("shared_buffers", "128MB").containsEntry("effective_cache_size", "384MB")
                .containsEntry("max_connections", "51").containsEntry("maintenance_work_mem", "32MB");
        assertThat(small.get("work_mem")).isEqualTo("2570kB");
        Map<String, String> big = PostgresTuning.forMemory(65536);
        assertThat(big).containsEntry("shared_buffers", "16384MB").containsEntry("max_connections", "500")
                .containsEntry("maintenance_work_mem", "2048MB").containsEntry("work_mem", "33554kB");
        assertThat(PostgresTuning.forMemory(0)).containsEntry("max_connections", "25").containsEntry("work_mem", "1024kB");
    }

    @Test
    void renderedConfigurationKeepsItsSettingsButNotWhereTheServerLives() {
        String sanitized = PostgresConfigFiles.sanitize("""
                listen_addresses = '*'
                max_connections = 100
                data_directory = '/var/lib/postgresql/data/pgdata'
                archive_command = 'cp %p /somewhere/%f'
                port 5433
                shared_buffers = 256MB
                include_dir = '/etc/postgresql/conf.d'
                """);
        assertThat(sanitized).contains("\nmax_connections = 100\n").contains("\nshared_buffers = 256MB\n")
                .contains("# (set by the guest agent) listen_addresses = '*'")
                .contains("# (set by the guest agent) data_directory")
                .contains("# (set by the guest agent) archive_command")
                .contains("# (set by the guest agent) port 5433")
                .contains("# (set by the guest agent) include_dir");
    }

    @Test
    void quotingFollowsPostgresRules() {
        assertThat(PostgresConfigFiles.quote("it's")).isEqualTo("'it''s'");
        assertThat(PostgresAdmin.ident("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(PostgresAdmin.literal("o'k")).isEqualTo("'o''k'");
    }
}
