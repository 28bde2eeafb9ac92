package org.trovej.common.objectstore;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;

/**
 * The object store a guest reaches through its request context, as Trove's guest does for its logs
 * (trove/common/clients.py {@code swift_client}: the {@code object-store} endpoint of the context's
 * {@code service_catalog}, Keystone's v2 catalog form, and the context's {@code auth_token}). The API writes both
 * into the context of {@code guest_log_*} calls; a Trove guest and TroveJ's read them alike.
 */
public final class ContextObjectStore {

    public static final String SERVICE_TYPE = "object-store";

    private ContextObjectStore() {
    }

    /** Where the store is and the token that opens it. */
    public record Endpoint(String accountUrl, String token) {

        @Override
        public String toString() {
            return "Endpoint[accountUrl=" + accountUrl + "]";
        }
    }

    /** {@code context} with {@code auth_token} = {@code token} and a catalog of the one store account. */
    public static RpcContext with(RpcContext context, String accountUrl, String token, String region) {
        ArrayNode catalog = PythonJson.array();
        ObjectNode service = catalog.addObject();
        service.put("type", SERVICE_TYPE);
        service.put("name", "swift");
        ObjectNode endpoint = service.putArray("endpoints").addObject();
        endpoint.put("region", region);
        endpoint.put("publicURL", accountUrl);
        endpoint.put("internalURL", accountUrl);
        endpoint.put("adminURL", accountUrl);
        return context.with("auth_token", token).with("service_catalog", catalog);
    }

    /**
     * The store of the context: the public URL of its catalog's {@code object-store} in {@code region} (any region
     * when none matches), in v2 ({@code publicURL}) or v3 ({@code interface}/{@code url}) form; empty without one.
     */
    public static Optional<Endpoint> of(RpcContext context, String region) {
        JsonNode catalog = context.get("service_catalog");
        String token = context.text("auth_token");
        if (catalog == null || !catalog.isArray()) {
            return Optional.empty();
        }
        String any = null;
        for (JsonNode service : catalog) {
            if (!SERVICE_TYPE.equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode endpoint : service.path("endpoints")) {
                String url = publicUrl(endpoint);
                if (url == null) {
                    continue;
                }
                if (region == null || region.equals(endpoint.path("region").asText(null))
                        || region.equals(endpoint.path("region_id").asText(null))) {
                    return Optional.of(new Endpoint(url, token));
                }
                any = any == null ? url : any;
            }
        }
        return any == null ? Optional.empty() : Optional.of(new Endpoint(any, token));
    }

    private static String publicUrl(JsonNode endpoint) {
        if (endpoint.path("publicURL").isTextual()) {
            return endpoint.path("publicURL").asText();
        }
        if ("public".equals(endpoint.path("interface").asText()) && endpoint.path("url").isTextual()) {
            return endpoint.path("url").asText();
        }
        return null;
    }
}
