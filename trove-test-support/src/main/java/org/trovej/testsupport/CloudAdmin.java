package org.trovej.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The cloud's own APIs (Nova, Cinder, Neutron) as its admin reads them, for tests that check what TroveJ left in
 * the cloud: one Keystone token and plain HTTP, where each {@code openstack} CLI call costs 2-3 s of Python start-up.
 * The TroveJ side of those tests still goes through the real clients.
 */
public final class CloudAdmin {

    /** Nova's microversion that shows servers' user data ({@code OS-EXT-SRV-ATTR:user_data}, 2.3+). */
    private static final String NOVA_MICROVERSION = "2.79";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String authUrl;
    private final Map<String, String> admin;
    private String token;
    private final Map<String, String> endpoints = new HashMap<>();

    public CloudAdmin(String authUrl, Map<String, String> admin) {
        this.authUrl = authUrl;
        this.admin = admin;
    }

    /** Every server of every project, with details (user data included). */
    public JsonNode servers() {
        return get("compute", "/servers/detail?all_tenants=1").path("servers");
    }

    /** Cinder volumes of every project with this name. */
    public JsonNode volumesNamed(String name) {
        return get("volumev3", "/volumes/detail?all_tenants=1&name=" + encode(name)).path("volumes");
    }

    /** Neutron ports with this name (the admin sees every project's). */
    public JsonNode portsNamed(String name) {
        return get("network", "/v2.0/ports?name=" + encode(name)).path("ports");
    }

    /** Neutron security groups with this name, with their rules (the admin sees every project's). */
    public JsonNode securityGroupsNamed(String name) {
        return get("network", "/v2.0/security-groups?name=" + encode(name)).path("security_groups");
    }

    public synchronized JsonNode get(String serviceType, String path) {
        for (int attempt = 0; ; attempt++) {
            if (token == null) {
                authenticate();
            }
            String endpoint = endpoints.get(serviceType);
            if (endpoint == null) {
                throw new IllegalStateException("no " + serviceType + " endpoint in Keystone's catalog");
            }
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(endpoint + path))
                    .header("X-Auth-Token", token).header("X-OpenStack-Nova-API-Version", NOVA_MICROVERSION)
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build());
            if (response.statusCode() == 401 && attempt == 0) {
                token = null; // expired: once more with a new one
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException(serviceType + " GET " + path + ": HTTP " + response.statusCode()
                        + " " + response.body());
            }
            return read(response.body());
        }
    }

    private void authenticate() {
        String body = """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
                 "domain": {"name": "Default"}, "password": "%s"}}},
                 "scope": {"project": {"name": "%s", "domain": {"name": "Default"}}}}}
                """.formatted(admin.get("OS_USERNAME"), admin.get("OS_PASSWORD"), admin.get("OS_PROJECT_NAME"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(authUrl + "/auth/tokens"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Keystone: HTTP " + response.statusCode() + " " + response.body());
        }
        JsonNode scoped = read(response.body()).path("token");
        String projectId = scoped.path("project").path("id").asText();
        endpoints.clear();
        for (JsonNode service : scoped.path("catalog")) {
            for (JsonNode endpoint : service.path("endpoints")) {
                if ("public".equals(endpoint.path("interface").asText())) {
                    endpoints.put(service.path("type").asText(), endpoint.path("url").asText()
                            .replace("%(project_id)s", projectId).replace("%(tenant_id)s", projectId)
                            .replaceAll("/$", ""));
                }
            }
        }
        token = response.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
