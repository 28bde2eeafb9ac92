package org.trovej.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class NextPageTest {

    private static MockHttpServletRequest request(String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1.0/p/instances");
        request.addHeader("Host", "db.example.com:8779");
        request.setQueryString(query);
        return request;
    }

    @Test
    void theMarkerIsReplacedInPlaceAndSchemeForcedToHttps() {
        assertThat(NextPage.href(request("limit=2&marker=a&include_clustered=False"), "b"))
                .isEqualTo("https://db.example.com:8779/v1.0/p/instances?limit=2&marker=b&include_clustered=False");
        assertThat(NextPage.href(request(null), "m"))
                .isEqualTo("https://db.example.com:8779/v1.0/p/instances?marker=m");
    }

    @Test
    void blankParametersAreDroppedAndValuesEncodedLikeUrlencode() {
        assertThat(NextPage.href(request("empty=&limit=1&q=a%20b%2Fc&limit=3"), "x@y"))
                .isEqualTo("https://db.example.com:8779/v1.0/p/instances?limit=3&q=a+b%2Fc&marker=x%40y");
    }

    @Test
    void withoutHostTheServerNameIsUsed() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1.0/p/instances");
        request.setServerName("api.internal");
        request.setServerPort(8779);

        assertThat(Links.of(request, "p").resource("instances", "i").get(0).href())
                .isEqualTo("https://api.internal:8779/v1.0/p/instances/i");
    }
}
