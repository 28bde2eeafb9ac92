package org.trovej.allinone.openstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Nova's API as the cloud admin sees it, at a microversion that shows servers' user data
 * ({@code OS-EXT-SRV-ATTR:user_data}, 2.3+): what a hypervisor would be handed.
 */
final class NovaAdmin {

    private static final String MICROVERSION = "2.79";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String authUrl;
    private final Map<String, String> admin;
    private String token;
    private String computeUrl;

    NovaAdmin(String authUrl, Map<String, String> admin) {
        this.authUrl = authUrl;
        this.admin = admin;
    }

    /** Every server of every project, with details. */
    JsonNode servers() {
        return get("/servers/detail?all_tenants=1").path("servers");
    }

    private synchronized JsonNode get(String path) {
        if (token == null) {
            authenticate();
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(computeUrl + path))
                    .header("X-Auth-Token", token).header("X-OpenStack-Nova-API-Version", MICROVERSION)
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401) {
                token = null;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Nova GET " + path + ": HTTP " + response.statusCode() + " "
                        + response.body());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Nova GET " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void authenticate() {
        String body = """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
                 "domain": {"name": "Default"}, "password": "%s"}}},
                 "scope": {"project": {"name": "%s", "domain": {"name": "Default"}}}}}
                """.formatted(admin.get("OS_USERNAME"), admin.get("OS_PASSWORD"), admin.get("OS_PROJECT_NAME"));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(authUrl + "/auth/tokens"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("Keystone: HTTP " + response.statusCode() + " " + response.body());
            }
            token = response.headers().firstValue("X-Subject-Token").orElseThrow();
            for (JsonNode service : json.readTree(response.body()).path("token").path("catalog")) {
                if ("compute".equals(service.path("type").asText())) {
                    for (JsonNode endpoint : service.path("endpoints")) {
                        if ("public".equals(endpoint.path("interface").asText())) {
                            computeUrl = endpoint.path("url").asText().replaceAll("/$", "");
                        }
                    }
                }
            }
            if (computeUrl == null) {
                throw new IllegalStateException("no compute endpoint in Keystone's catalog");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Keystone: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
