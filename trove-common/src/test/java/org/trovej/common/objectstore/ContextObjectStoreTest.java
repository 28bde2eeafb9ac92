package org.trovej.common.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;

class ContextObjectStoreTest {

    @Test
    void theStoreWrittenIntoAContextIsReadBackAsTrovesGuestFindsIt() {
        RpcContext context = ContextObjectStore.with(RpcContext.user("u", "p", false),
                "http://127.0.0.1:8779/v1/AUTH_p", "tok", "RegionOne");
        assertThat(context.text("auth_token")).isEqualTo("tok");
        assertThat(context.get("service_catalog").get(0).path("endpoints").get(0).path("publicURL").asText())
                .isEqualTo("http://127.0.0.1:8779/v1/AUTH_p");
        // the dict survives the wire
        RpcContext received = RpcContext.fromDict(context.toDict());
        assertThat(ContextObjectStore.of(received, "RegionOne"))
                .contains(new ContextObjectStore.Endpoint("http://127.0.0.1:8779/v1/AUTH_p", "tok"));
        assertThat(ContextObjectStore.of(received, "OtherRegion")).as("any region when none matches")
                .contains(new ContextObjectStore.Endpoint("http://127.0.0.1:8779/v1/AUTH_p", "tok"));
        assertThat(received.toString()).doesNotContain("tok");
    }

    @Test
    void aKeystoneV3CatalogIsReadToo() {
        ArrayNode catalog = PythonJson.array();
        ObjectNode compute = catalog.addObject().put("type", "compute");
        compute.putArray("endpoints").addObject().put("interface", "public").put("url", "http://nova");
        ObjectNode swift = catalog.addObject().put("type", "object-store");
        ArrayNode endpoints = swift.putArray("endpoints");
        endpoints.addObject().put("interface", "internal").put("region", "R1").put("url", "http://internal/v1/AUTH_x");
        endpoints.addObject().put("interface", "public").put("region", "R2").put("url", "http://r2/v1/AUTH_x");
        endpoints.addObject().put("interface", "public").put("region", "R1").put("url", "http://r1/v1/AUTH_x");
        RpcContext context = RpcContext.user("u", "x", false).with("service_catalog", catalog).with("auth_token", "t");
        assertThat(ContextObjectStore.of(context, "R1").map(ContextObjectStore.Endpoint::accountUrl))
                .contains("http://r1/v1/AUTH_x");
    }

    @Test
    void noCatalogNoStore() {
        assertThat(ContextObjectStore.of(RpcContext.user("u", "p", false), null)).isEmpty();
    }
}
