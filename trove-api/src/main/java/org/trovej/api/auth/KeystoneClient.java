package org.trovej.api.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keystone's identity v3 API as a service uses it: TroveJ's own project-scoped token (password authentication of
 * the service user, renewed before it expires and whenever Keystone refuses it) and
 * {@code GET /v3/auth/tokens} with {@code X-Subject-Token} to validate a caller's token. JDK HttpClient only.
 */
public class KeystoneClient {

    private static final Logger log = LoggerFactory.getLogger(KeystoneClient.class);
    /** A service token is renewed when less than this is left (or half its life, if that is shorter). */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(2);

    private final KeystoneProperties properties;
    private final String identityUrl;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final AtomicLong validations = new AtomicLong();
    private final AtomicLong serviceAuthentications = new AtomicLong();

    private final Object serviceTokenLock = new Object();
    private volatile ServiceToken serviceToken;

    private record ServiceToken(String value, Instant renewAt) {
    }

    public KeystoneClient(KeystoneProperties properties) {
        this(properties, Clock.systemUTC());
    }

    KeystoneClient(KeystoneProperties properties, Clock clock) {
        this.properties = properties;
        this.identityUrl = properties.identityUrl();
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Token validations asked of Keystone so far (the cache's misses). */
    public long validations() {
        return validations.get();
    }

    /** Service-user authentications done so far. */
    public long serviceAuthentications() {
        return serviceAuthentications.get();
    }

    /**
     * @return what Keystone says about the token, or null when Keystone does not know it (invalid, expired, revoked)
     * @throws KeystoneUnavailableException when Keystone cannot answer the question
     */
    public KeystoneToken validate(String token) {
        validations.incrementAndGet();
        for (int attempt = 0; ; attempt++) {
            String service = serviceToken();
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(identityUrl
                            + "/auth/tokens?nocatalog"))
                    .header("X-Auth-Token", service).header("X-Subject-Token", token)
                    .header("Accept", "application/json").GET(), "token validation");
            switch (response.statusCode()) {
                case 200:
                    return parse(body(response), "token validation");
                case 404:
                    return null;
                case 401:
                    // our own token expired or was revoked: authenticate again, once
                    dropServiceToken(service);
                    if (attempt == 0) {
                        continue;
                    }
                    throw new KeystoneUnavailableException("Keystone refuses TroveJ's service token (401)");
                case 403:
                    throw new KeystoneUnavailableException("the service user " + properties.username()
                            + " may not validate tokens (403): give it the admin or service role");
                default:
                    throw new KeystoneUnavailableException("Keystone answered " + response.statusCode()
                            + " to a token validation");
            }
        }
    }

    /** Authenticates as a user, for tests and tools: the new token and what it says. */
    public String issueToken(String user, String password, String project) {
        HttpResponse<String> response = authenticate(user, password, properties.userDomainName(), project,
                properties.projectDomainName());
        if (response.statusCode() != 201) {
            throw new KeystoneUnavailableException("Keystone answered " + response.statusCode()
                    + " to the authentication of " + user);
        }
        return response.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    String serviceToken() {
        ServiceToken current = serviceToken;
        if (current != null && clock.instant().isBefore(current.renewAt())) {
            return current.value();
        }
        synchronized (serviceTokenLock) {
            current = serviceToken;
            if (current != null && clock.instant().isBefore(current.renewAt())) {
                return current.value();
            }
            serviceAuthentications.incrementAndGet();
            HttpResponse<String> response = authenticate(properties.username(), properties.password(),
                    properties.userDomainName(), properties.projectName(), properties.projectDomainName());
            if (response.statusCode() != 201) {
                throw new KeystoneUnavailableException("Keystone refuses the service user " + properties.username()
                        + " (" + response.statusCode() + "): check TROVEJ_KEYSTONE_USERNAME/PASSWORD/PROJECT_NAME");
            }
            String value = response.headers().firstValue("X-Subject-Token")
                    .orElseThrow(() -> new KeystoneUnavailableException("Keystone issued no X-Subject-Token"));
            KeystoneToken info = parse(body(response), "service authentication");
            Instant now = clock.instant();
            Duration life = Duration.between(now, info.expiresAt());
            Duration margin = life.dividedBy(2).compareTo(RENEW_BEFORE) < 0 ? life.dividedBy(2) : RENEW_BEFORE;
            serviceToken = new ServiceToken(value, info.expiresAt().minus(margin));
            log.info("Keystone: authenticated as service user {} (project {}), token valid until {}",
                    properties.username(), properties.projectName(), info.expiresAt());
            return value;
        }
    }

    private void dropServiceToken(String refused) {
        synchronized (serviceTokenLock) {
            ServiceToken current = serviceToken;
            if (current != null && current.value().equals(refused)) {
                serviceToken = null;
            }
        }
    }

    private HttpResponse<String> authenticate(String user, String password, String userDomain, String project,
                                              String projectDomain) {
        ObjectNode auth = json.createObjectNode();
        ObjectNode identity = auth.putObject("auth").putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode userNode = identity.putObject("password").putObject("user");
        userNode.put("name", user).put("password", password).putObject("domain").put("name", userDomain);
        ObjectNode scope = ((ObjectNode) auth.get("auth")).putObject("scope").putObject("project");
        scope.put("name", project).putObject("domain").put("name", projectDomain);
        return send(HttpRequest.newBuilder(URI.create(identityUrl + "/auth/tokens?nocatalog"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(auth.toString())), "authentication");
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) {
        try {
            return http.send(request.timeout(properties.timeout()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new KeystoneUnavailableException("Keystone at " + identityUrl + " cannot be reached for " + what
                    + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeystoneUnavailableException("interrupted while waiting for Keystone", e);
        }
    }

    private JsonNode body(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new KeystoneUnavailableException("Keystone answered something that is not JSON", e);
        }
    }

    private static KeystoneToken parse(JsonNode body, String what) {
        JsonNode token = body.path("token");
        List<String> roles = new ArrayList<>();
        token.path("roles").forEach(r -> roles.add(r.path("name").asText()));
        String project = token.path("project").path("id").asText(null);
        Instant expires;
        try {
            expires = Instant.parse(token.path("expires_at").asText());
        } catch (DateTimeParseException e) {
            throw new KeystoneUnavailableException("Keystone's " + what + " has no readable expires_at", e);
        }
        return new KeystoneToken(project, token.path("user").path("id").asText(null),
                token.path("user").path("name").asText(null), roles, expires);
    }
}
