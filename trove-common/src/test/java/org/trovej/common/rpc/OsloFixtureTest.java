package org.trovej.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.trovej.common.Fixtures;
import org.trovej.common.json.PythonJson;

/** Our codec against envelopes captured from Trove 18's guest agent (../shared/fixtures/oslo). */
class OsloFixtureTest {

    private static final JsonNode PLAIN = Fixtures.load("heartbeat-plain.json");
    private static final JsonNode ENCRYPTED = Fixtures.load("heartbeat-encrypted.json");

    private static byte[] body(JsonNode fixture) {
        return fixture.get("body").asText().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesThePlainHeartbeatExactly() {
        OsloCodec.IncomingRequest request = OsloCodec.decodeRequest(body(PLAIN));
        JsonNode expected = PLAIN.get("decoded_inner");
        assertThat(request.method()).isEqualTo("heartbeat");
        assertThat(request.version()).isEqualTo("1.0");
        assertThat(request.uniqueId()).isEqualTo(expected.get("_unique_id").asText());
        assertThat(request.isCall()).isFalse();
        assertThat(request.wireArgs()).isEqualTo(expected.get("args"));
        RpcContext context = RpcSerializer.plain().deserializeContext(request.wireContext());
        assertThat(context.requestId()).isEqualTo("req-60a6fca8-8aa5-4ee2-a4fb-cf3fb5a92e37");
        assertThat(context.get("is_admin_project").asBoolean()).isTrue();
        assertThat(context.toDict().size()).isEqualTo(20);
        // the float keeps every digit Trove sent
        assertThat(PythonJson.dumps(request.wireArgs().get("sent"))).isEqualTo("1795582479.4027817");
    }

    @Test
    void reEncodingThePlainHeartbeatGivesTroveBytes() throws Exception {
        OsloCodec.IncomingRequest request = OsloCodec.decodeRequest(body(PLAIN));
        RpcContext context = RpcSerializer.plain().deserializeContext(request.wireContext());
        byte[] ours = OsloCodec.encodeRequest("heartbeat", request.wireArgs(), "1.0", context,
                RpcSerializer.plain(), null, null);
        String expected = PLAIN.get("body").asText();
        String actual = new String(ours, StandardCharsets.UTF_8);
        // only the random _unique_id may differ
        String theirs = expected.replace(request.uniqueId(), "UNIQUE");
        String mine = actual.replace(OsloCodec.decodeRequest(ours).uniqueId(), "UNIQUE");
        assertThat(mine).isEqualTo(theirs);
        assertThat(ours.length).isEqualTo(PLAIN.get("body_bytes").asInt());
    }

    @Test
    void decryptsTheEncryptedHeartbeatWithTheInstanceKey() {
        String instanceId = ENCRYPTED.get("instance_id").asText();
        String key = ENCRYPTED.get("instance_key").asText();
        ConductorHostSerializer host = new ConductorHostSerializer(id -> id.equals(instanceId) ? key : null);

        OsloCodec.IncomingRequest request = OsloCodec.decodeRequest(body(ENCRYPTED));
        assertThat(request.wireArgs()).isEqualTo(ENCRYPTED.get("decoded_inner").get("args"));

        RpcContext context = host.deserializeContext(request.wireContext());
        ObjectNode expectedContext = (ObjectNode) ENCRYPTED.get("decrypted_context").deepCopy();
        expectedContext.put("instance_id", instanceId);
        assertThat(context.toDict()).isEqualTo(expectedContext);
        assertThat(context.instanceId()).isEqualTo(instanceId);

        ObjectNode args = PythonJson.object();
        request.wireArgs().fields().forEachRemaining(e ->
                args.set(e.getKey(), host.deserializeEntity(context, e.getValue())));
        JsonNode expectedArgs = ENCRYPTED.get("decrypted_args");
        assertThat(args.get("instance_id")).isEqualTo(expectedArgs.get("instance_id"));
        assertThat(args.get("payload")).isEqualTo(expectedArgs.get("payload"));
        assertThat(args.get("sent").doubleValue()).isEqualTo(expectedArgs.get("sent").doubleValue());
    }

    @Test
    void theEncryptedHeartbeatDoesNotOpenWithAnotherKey() {
        String instanceId = ENCRYPTED.get("instance_id").asText();
        ConductorHostSerializer host = new ConductorHostSerializer(id -> "not-the-key-of-this-instance");
        OsloCodec.IncomingRequest request = OsloCodec.decodeRequest(body(ENCRYPTED));
        assertThatThrownBy(() -> host.deserializeContext(request.wireContext()))
                .isInstanceOf(RuntimeException.class);
        ConductorHostSerializer unknown = new ConductorHostSerializer(id -> null);
        assertThatThrownBy(() -> unknown.deserializeEntity(RpcContext.empty(), request.wireArgs().get("payload")))
                .isInstanceOf(RpcDecodeException.class)
                .hasMessageContaining(instanceId);
    }

    @Test
    void ourGuestSideEncodingHasTroveShapeAndOpensOnTheConductorSide() throws Exception {
        String instanceId = ENCRYPTED.get("instance_id").asText();
        String key = ENCRYPTED.get("instance_key").asText();
        ObjectNode args = PythonJson.object();
        args.put("instance_id", instanceId);
        args.put("sent", 1795582467.952439);
        args.putObject("payload").put("service_status", "healthy");
        byte[] ours = OsloCodec.encodeRequest("heartbeat", args, "1.0", RpcContext.service(),
                new ConductorGuestSerializer(key, instanceId), null, null);

        OsloCodec.IncomingRequest mine = OsloCodec.decodeRequest(ours);
        OsloCodec.IncomingRequest theirs = OsloCodec.decodeRequest(body(ENCRYPTED));
        // same keys in the same order, and each argument is the {"entity", "csz-instance-id"} JSON text
        assertThat(fieldNames(OsloCodec.openEnvelope(ours)))
                .isEqualTo(fieldNames(OsloCodec.openEnvelope(body(ENCRYPTED))));
        assertThat(fieldNames(mine.wireArgs())).containsExactlyElementsOf(fieldNames(theirs.wireArgs()));
        for (String name : fieldNames(mine.wireArgs())) {
            JsonNode wrapper = PythonJson.parse(mine.wireArgs().get(name).asText());
            JsonNode theirWrapper = PythonJson.parse(theirs.wireArgs().get(name).asText());
            assertThat(fieldNames(wrapper)).isEqualTo(fieldNames(theirWrapper));
            assertThat(wrapper.get("csz-instance-id").asText()).isEqualTo(instanceId);
        }
        assertThat(mine.wireContext().get("csz-instance-id").asText()).isEqualTo(instanceId);

        ConductorHostSerializer host = new ConductorHostSerializer(id -> key);
        RpcContext context = host.deserializeContext(mine.wireContext());
        assertThat(context.instanceId()).isEqualTo(instanceId);
        assertThat(host.deserializeEntity(context, mine.wireArgs().get("payload")).get("service_status").asText())
                .isEqualTo("healthy");
        assertThat(host.deserializeEntity(context, mine.wireArgs().get("sent")).doubleValue())
                .isEqualTo(1795582467.952439);
    }

    @Test
    void malformedEnvelopesAreDecodeErrors() {
        assertThatThrownBy(() -> OsloCodec.decodeRequest("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RpcDecodeException.class);
        assertThatThrownBy(() -> OsloCodec.decodeRequest(
                "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{broken\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RpcDecodeException.class);
        assertThatThrownBy(() -> OsloCodec.decodeRequest(
                "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{}\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RpcDecodeException.class)
                .hasMessageContaining("no method");
    }

    private static java.util.List<String> fieldNames(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
