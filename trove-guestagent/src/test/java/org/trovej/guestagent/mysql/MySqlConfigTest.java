package org.trovej.guestagent.mysql;

import org.trovej.common.datastore.MySqlTuning;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trovej.common.json.PythonJson;

class MySqlConfigTest {

    @Test
    void valuesAppliedWithSetGlobalAreLiteralsNeverSql() {
        assertThat(MySqlOverrides.literal(PythonJson.valueToTree(true))).isEqualTo("ON");
        assertThat(MySqlOverrides.literal(PythonJson.valueToTree(false))).isEqualTo("OFF");
        assertThat(MySqlOverrides.literal(PythonJson.valueToTree(123))).isEqualTo("123");
        assertThat(MySqlOverrides.literal(PythonJson.valueToTree(2.5))).isEqualTo("2.5");
        assertThat(MySqlOverrides.literal(PythonJson.valueToTree("STRICT_TRANS_TABLES"))).isEqualTo(
                "'STRICT_TRANS_TABLES'");
        assertThat(MySqlOverrides.literal(PythonJson.valueToTree("x'; DROP USER root; -- \\"))).isEqualTo(
                "'x\\'; DROP USER root; -- \\\\'");
    }

    @Test
    void memorySettingsScaleWithTheFlavor() {
        Map<String, String> small = MySqlTuning.forMemory(256);
        assertThat(small).containsEntry("innodb_buffer_pool_size", "128M")
                .containsEntry("innodb_buffer_pool_chunk_size", "128M").containsEntry("max_connections", "50")
                .containsEntry("tmp_table_size", "16M");
        Map<String, String> big = MySqlTuning.forMemory(16384);
        assertThat(big).containsEntry("innodb_buffer_pool_size", "8192M").containsEntry("max_connections", "2000")
                .containsEntry("table_open_cache", "16384").containsEntry("key_buffer_size", "1600M");
        assertThat(MySqlTuning.forMemory(0)).containsEntry("innodb_buffer_pool_size", "64M")
                .containsEntry("innodb_buffer_pool_chunk_size", "64M");
    }

    @Test
    void renderedConfigurationKeepsItsSettingsButNotWhereTheServerLivesNorOtherFiles() {
        String sanitized = MySqlConfigFiles.sanitize("""
                [client]
                port = 3306
                socket = /var/run/mysqld/mysqld.sock
                [mysqld]
                bind-address = 0.0.0.0
                datadir=/var/lib/mysql/data
                max_connections = 100
                innodb_buffer_pool_size = 600M
                Pid-File = /var/run/mysqld/mysqld.pid
                loose-general-log = 1
                skip-grant-tables
                !includedir /etc/mysql/conf.d/
                """);
        // options of the server's groups are loose: one this version does not know does not stop the server
        assertThat(sanitized).contains("\n[mysqld]\n").contains("\nloose-max_connections = 100\n")
                .contains("\nloose-innodb_buffer_pool_size = 600M\n")
                .contains("# (set by the guest agent) port = 3306")
                .contains("# (set by the guest agent) socket = ")
                .contains("# (set by the guest agent) bind-address = 0.0.0.0")
                .contains("# (set by the guest agent) datadir=")
                .contains("# (set by the guest agent) Pid-File")
                .contains("# (set by the guest agent) loose-general-log = 1")
                .contains("# (set by the guest agent) skip-grant-tables")
                .contains("# (not read: the guest agent decides which files are read) !includedir");
    }

    @Test
    void passwordsAreHashedAsTheServerStoresThem() {
        // SELECT PASSWORD('password1') on MariaDB
        assertThat(NativePassword.hash("password1")).isEqualTo("*668425423DB5193AF921380129F465A6425216D0");
        assertThat(MySqlAccounts.unescapePattern(MySqlAccounts.escapePattern("a_b%c\\d"))).isEqualTo("a_b%c\\d");
        assertThat(MySqlAccounts.escapePattern("db_a")).isEqualTo("db\\_a");
    }
}
