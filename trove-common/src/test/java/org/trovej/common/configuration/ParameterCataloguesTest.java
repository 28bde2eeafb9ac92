package org.trovej.common.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Which shipped catalogue a datastore version gets, and the resource format. */
class ParameterCataloguesTest {

    @Test
    void postgresqlIsMatchedByMajorVersion() {
        assertThat(ParameterCatalogues.resourceName("postgresql", "15")).contains("postgresql-15.json");
        assertThat(ParameterCatalogues.resourceName("postgresql", "15.20")).contains("postgresql-15.json");
        assertThat(ParameterCatalogues.find("postgresql", "15.4")).get()
                .satisfies(c -> assertThat(c.engine()).isEqualTo("postgresql"));
        assertThat(ParameterCatalogues.find("postgresql", "99")).isEmpty();
        assertThat(ParameterCatalogues.find("postgresql", "latest")).isEmpty();
    }

    @Test
    void mariadbAndMysqlShareTheMariaDbFileMatchedByMajorMinor() {
        assertThat(ParameterCatalogues.resourceName("mysql", "10.11.14")).contains("mariadb-10.11.json");
        assertThat(ParameterCatalogues.resourceName("mariadb", "10.11")).contains("mariadb-10.11.json");
        assertThat(ParameterCatalogues.rules("mysql", "10.11.19")).get()
                .isEqualTo(ParameterCatalogues.rules("mariadb", "10.11").orElseThrow());
        assertThat(ParameterCatalogues.resourceName("mariadb", "10")).isEmpty();
        assertThat(ParameterCatalogues.find("mysql", "8.0.36")).isEmpty();
        assertThat(ParameterCatalogues.find("mariadb", "10.6")).isEmpty();
    }

    @Test
    void unknownManagersHaveNone() {
        assertThat(ParameterCatalogues.find("redis", "7.0")).isEmpty();
        assertThat(ParameterCatalogues.find(null, "15")).isEmpty();
        assertThat(ParameterCatalogues.find("postgresql", null)).isEmpty();
    }

    @Test
    void theShippedCataloguesHoldWellKnownParameters() {
        List<ParameterRule> pg = ParameterCatalogues.rules("postgresql", "15").orElseThrow();
        assertThat(pg).contains(new ParameterRule("max_connections", "integer", "1", "262143", true, null, "100"));
        assertThat(pg).filteredOn(r -> r.name().equals("work_mem")).singleElement()
                .satisfies(r -> assertThat(r.restartRequired()).isFalse());
        assertThat(pg).extracting(ParameterRule::name).doesNotContain("port", "data_directory", "block_size");
        List<ParameterRule> maria = ParameterCatalogues.rules("mariadb", "10.11").orElseThrow();
        assertThat(maria).filteredOn(r -> r.name().equals("max_connections")).singleElement()
                .satisfies(r -> assertThat(r.restartRequired()).isFalse());
        assertThat(maria).extracting(ParameterRule::name).doesNotContain("port", "datadir", "server_id");
    }

    @Test
    void theResourceFormatRoundTrips() {
        ParameterCatalogue catalogue = new ParameterCatalogue("postgresql", "15.20", "pg_settings",
                List.of(new ParameterRule("work_mem", "integer", "64", "2147483647", false, null, "4096"),
                        new ParameterRule("bytea_output", "string", null, null, false, List.of("escape", "hex"),
                                "hex")),
                Map.of("port", "network"));
        String json = ParameterCatalogues.toJson(catalogue);
        assertThat(json).contains("\"data_type\" : \"integer\"").contains("\"allowed_values\" : [ \"escape\", \"hex\" ]")
                .doesNotContain("null");
        // ordered by name
        assertThat(json.indexOf("bytea_output")).isLessThan(json.indexOf("work_mem"));
        assertThat(ParameterCatalogues.fromJson(json)).isEqualTo(catalogue);
    }
}
