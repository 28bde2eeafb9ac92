package org.trovej.api.mgmt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.common.configuration.ParameterCatalogues;

/** A version registered through /mgmt/datastore-versions gets TroveJ's parameter catalogue for it, if any. */
class MgmtDatastoreVersionCatalogueTest extends ApiIntegrationTest {

    private static final String BASE = "/v1.0/admin/mgmt/datastore-versions";

    private String register(String name, String manager, String version) {
        String datastore = "ds-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post(BASE, """
                {"version": {"name": "%s", "datastore_name": "%s", "datastore_manager": "%s",
                  "image_tags": ["trove"], "active": true, "version": "%s"}}""".formatted(name, datastore, manager,
                version), AS_ADMIN).status()).isEqualTo(202);
        return jdbc.queryForObject("SELECT v.id FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id "
                + "WHERE d.name = ?", String.class, datastore);
    }

    private Map<String, Object> parameter(String versionId, String name) {
        return jdbc.queryForMap("SELECT * FROM datastore_configuration_parameters WHERE datastore_version_id = ? "
                + "AND name = ?", versionId, name);
    }

    private int count(String versionId) {
        return jdbc.queryForObject("SELECT count(*) FROM datastore_configuration_parameters "
                + "WHERE datastore_version_id = ?", Integer.class, versionId);
    }

    @Test
    void postgresql15GetsItsCatalogue() {
        String id = register("15", "postgresql", "15.4");
        assertThat(count(id)).isEqualTo(ParameterCatalogues.rules("postgresql", "15").orElseThrow().size());
        assertThat(parameter(id, "max_connections")).containsEntry("restart_required", true)
                .containsEntry("data_type", "integer").containsEntry("default_value", "100");
        assertThat(parameter(id, "bytea_output").get("allowed_values")).isEqualTo("[\"escape\",\"hex\"]");
    }

    @Test
    void mysqlOnMariaDbGetsTheMariaDbCatalogue() {
        String id = register("10.11", "mysql", "10.11.19");
        assertThat(count(id)).isEqualTo(ParameterCatalogues.rules("mariadb", "10.11").orElseThrow().size());
        assertThat(parameter(id, "max_connections")).containsEntry("restart_required", false);
    }

    @Test
    void aVersionWithoutCatalogueGetsNone() {
        assertThat(count(register("5", "postgresql", "5.0"))).isZero();
    }
}
