package org.trovej.taskmanager.compute.openstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.trovej.service.openstack.OpenStackSession;

/**
 * Why Cinder put a volume into {@code error}: its user messages API (volume API 3.3+), which openstack4j does
 * not model. A volume's own record says only "error"; the message says e.g. "schedule allocate volume: Could not
 * find any available weighted backend".
 */
class CinderMessages {

    private final OpenStackSession session;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    CinderMessages(OpenStackSession session) {
        this.session = session;
    }

    /** The newest message about the volume, or null when Cinder has none (or cannot be asked). */
    String latestAbout(String volumeId) {
        String endpoint = session.endpoint("volumev3");
        if (endpoint == null) {
            endpoint = session.endpoint("block-storage");
        }
        if (endpoint == null) {
            return null;
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(endpoint.replaceAll("/$", "") + "/messages?resource_uuid=" + volumeId
                                    + "&sort=created_at:desc&limit=1"))
                    .header("X-Auth-Token", session.tokenId()).header("OpenStack-API-Version", "volume 3.5")
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            JsonNode messages = json.readTree(response.body()).path("messages");
            return messages.isArray() && !messages.isEmpty() ? messages.get(0).path("user_message").asText(null)
                    : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
