package org.trovej.taskmanager.datastore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.trovej.common.configuration.ParameterCatalogues;
import org.trovej.common.configuration.ParameterRule;
import org.trovej.taskmanager.TaskManagerApplication;
import org.trovej.testsupport.SpringTestProperties;

/**
 * Registering a datastore version seeds its configuration parameters from the shipped catalogue, or from what
 * the version supplies when there is none; versions that have none yet get them at the next registration.
 * Each test registers datastores of its own names (the database is shared).
 */
@SpringBootTest(classes = TaskManagerApplication.class)
class DatastoreRecordsTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SpringTestProperties.register(registry);
        registry.add("trovej.taskmanager.auto-startup", () -> "false");
    }

    @Autowired
    DatastoreRecords records;
    @Autowired
    JdbcTemplate jdbc;

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void postgresql15GetsItsCatalogue() {
        String datastore = unique("postgresql");
        records.register(datastore, List.of(new DatastoreRecords.NewVersion("15", "15.20", "postgresql")));
        String versionId = versionId(datastore, "15");

        assertThat(parameter(versionId, "max_connections")).containsEntry("data_type", "integer")
                .containsEntry("restart_required", true).containsEntry("min_size", "1")
                .containsEntry("default_value", "100");
        assertThat(parameter(versionId, "work_mem")).containsEntry("data_type", "integer")
                .containsEntry("restart_required", false);
        assertThat(parameter(versionId, "log_min_messages").get("allowed_values")).asString()
                .startsWith("[\"debug5\",").contains("\"warning\"");
        assertThat(count(versionId)).isEqualTo(ParameterCatalogues.rules("postgresql", "15").orElseThrow().size());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM datastore_configuration_parameters "
                + "WHERE datastore_version_id = ? AND name = 'port'", Integer.class, versionId)).isZero();
    }

    @Test
    void mariadbAndMysql1011GetTheMariaDbCatalogue() {
        String mariadb = unique("mariadb");
        String mysql = unique("mysql");
        records.register(mariadb, List.of(new DatastoreRecords.NewVersion("10.11", "10.11.19", "mariadb")));
        records.register(mysql, List.of(new DatastoreRecords.NewVersion("10.11", "10.11.19", "mysql")));
        for (String datastore : List.of(mariadb, mysql)) {
            String versionId = versionId(datastore, "10.11");
            assertThat(parameter(versionId, "max_connections")).containsEntry("data_type", "integer")
                    .containsEntry("restart_required", false).containsEntry("max_size", "100000");
            assertThat(count(versionId)).isEqualTo(ParameterCatalogues.rules("mariadb", "10.11").orElseThrow().size());
        }
    }

    @Test
    void aVersionWithoutParametersGetsThemAtTheNextRegistrationAndOthersAreKept() {
        String datastore = unique("postgresql");
        DatastoreRecords.NewVersion v15 = new DatastoreRecords.NewVersion("15", "15.20", "postgresql");
        records.register(datastore, List.of(v15));
        String versionId = versionId(datastore, "15");
        // an installation from before the catalogue: no parameters
        jdbc.update("DELETE FROM datastore_configuration_parameters WHERE datastore_version_id = ?", versionId);

        assertThat(records.register(datastore, List.of(v15))).as("nothing new").isEmpty();
        assertThat(count(versionId)).isPositive();
        assertThat(parameter(versionId, "work_mem")).containsEntry("restart_required", false);

        // what an operator changed stays as it is
        jdbc.update("UPDATE datastore_configuration_parameters SET max_size = '1000' WHERE datastore_version_id = ? "
                + "AND name = 'work_mem'", versionId);
        records.register(datastore, List.of(v15));
        assertThat(parameter(versionId, "work_mem")).containsEntry("max_size", "1000");
    }

    @Test
    void aVersionWithoutShippedCatalogueGetsWhatItSupplies() {
        String datastore = unique("postgresql");
        List<ParameterRule> described = List.of(
                new ParameterRule("max_connections", "integer", "1", "262143", true, null, null),
                new ParameterRule("wal_compression", "string", null, null, false, null, null));
        records.register(datastore, List.of(new DatastoreRecords.NewVersion("99", "99.1", "postgresql",
                () -> described, null)));
        String versionId = versionId(datastore, "99");
        assertThat(count(versionId)).isEqualTo(2);
        assertThat(parameter(versionId, "max_connections")).containsEntry("restart_required", true)
                .containsEntry("default_value", null);
        // nor a catalogue, nor a supplier: none, and no failure
        String other = unique("redis");
        records.register(other, List.of(new DatastoreRecords.NewVersion("7", "7.0", "redis")));
        assertThat(count(versionId(other, "7"))).isZero();
    }

    @Test
    void aVersionGetsItsImageUnlessAnOperatorGaveItOne() {
        String datastore = unique("postgresql");
        records.register(datastore, List.of(new DatastoreRecords.NewVersion("15", "15.20", "postgresql", null,
                "image-a"), new DatastoreRecords.NewVersion("16", "16.4", "postgresql")));
        assertThat(image(versionId(datastore, "15"))).isEqualTo("image-a");
        assertThat(image(versionId(datastore, "16"))).isNull();

        // registered before it had one: it gets it at the next registration; an operator's image is kept
        jdbc.update("UPDATE datastore_versions SET image_id = 'operators' WHERE id = ?", versionId(datastore, "15"));
        records.register(datastore, List.of(new DatastoreRecords.NewVersion("15", "15.20", "postgresql", null,
                "image-b"), new DatastoreRecords.NewVersion("16", "16.4", "postgresql", null, "image-b")));
        assertThat(image(versionId(datastore, "15"))).isEqualTo("operators");
        assertThat(image(versionId(datastore, "16"))).isEqualTo("image-b");
    }

    private String image(String versionId) {
        return jdbc.queryForObject("SELECT image_id FROM datastore_versions WHERE id = ?", String.class, versionId);
    }

    private String versionId(String datastore, String name) {
        return jdbc.queryForObject("SELECT v.id FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id "
                + "WHERE d.name = ? AND v.name = ?", String.class, datastore, name);
    }

    private Map<String, Object> parameter(String versionId, String name) {
        return jdbc.queryForMap("SELECT * FROM datastore_configuration_parameters WHERE datastore_version_id = ? "
                + "AND name = ?", versionId, name);
    }

    private int count(String versionId) {
        return jdbc.queryForObject("SELECT count(*) FROM datastore_configuration_parameters "
                + "WHERE datastore_version_id = ?", Integer.class, versionId);
    }
}
