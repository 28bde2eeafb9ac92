package org.trovej.api.versions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.trovej.api.ApiProperties;

class VersionsControllerTest {

    @Test
    void publicEndpointReplacesTheRequestUrl() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
        request.addHeader("Host", "10.0.0.5:8779");

        VersionsDocument document = new VersionsController(ApiProperties.withPublicEndpoint("https://db.example.com:13779"))
                .index(request);

        assertThat(document.versions().get(0).links().get(0).href()).isEqualTo("https://db.example.com:13779/v1.0/");
    }

    @Test
    void versionUrlJoinsLikeOsPathJoin() {
        assertThat(VersionsController.versionUrl("https://db.example.com/", "v1.0")).isEqualTo("https://db.example.com/v1.0/");
        assertThat(VersionsController.versionUrl("https://db.example.com/trove", "v1.0"))
                .isEqualTo("https://db.example.com/trove/v1.0/");
    }

    @Test
    void withoutHostHeaderTheServerNameAndPortAreUsed() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
        request.setServerName("api.internal");
        request.setServerPort(8779);

        assertThat(VersionsController.applicationUrl(request)).isEqualTo("http://api.internal:8779");
    }
}
