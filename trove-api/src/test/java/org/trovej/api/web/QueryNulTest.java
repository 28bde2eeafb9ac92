package org.trovej.api.web;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trovej.api.support.Api;
import org.trovej.api.support.ApiIntegrationTest;
import org.trovej.api.support.TestData;

/** A NUL in a query parameter (PostgreSQL refuses it in text) is a 400 on every list, never a 500. */
class QueryNulTest extends ApiIntegrationTest {

    private static final String INSTANCE = "0b0b0b0b-0000-4000-8000-000000000001";

    @ParameterizedTest
    @ValueSource(strings = {"/instances?marker=%00", "/instances/detail?marker=%00", "/instances?limit=%00",
            "/mgmt/instances?marker=%00", "/mgmt/instances?project_id=%00", "/backups?marker=%00",
            "/backups?datastore=a%00b", "/backups?instance_id=%00", "/backups?project_id=%00&all_projects=true",
            "/configurations?marker=%00", "/configurations/x/instances?marker=%00",
            "/instances/" + INSTANCE + "/databases?marker=%00", "/instances/" + INSTANCE + "/users?marker=%00",
            "/instances/" + INSTANCE + "/backups?marker=%00", "/backup_strategies?project_id=%00",
            "/instances?x=1&marker=ok%00"})
    void aNulInAQueryParameterIsABadRequest(String pathAndQuery) {
        Api.Response response = api.get("/v1.0/" + TestData.project() + pathAndQuery, AS_ADMIN);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.fault()).isEqualTo("badRequest");
        String parameter = pathAndQuery.replaceAll(".*[?&]([a-z_]+)=[^&]*%00.*", "$1");
        assertThat(response.json().at("/badRequest/message").asText()).isEqualTo("Invalid value for query "
                + "parameter '" + parameter + "': NUL characters are not allowed.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/instances?marker=%2500", "/instances?marker=%ff"})
    void otherOddMarkersStillList(String pathAndQuery) {
        assertThat(api.get("/v1.0/" + TestData.project() + pathAndQuery).status()).isEqualTo(200);
    }
}
