package org.trovej.common.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.trovej.common.flavor.Flavor;
import org.trovej.common.guest.GuestSchema;
import org.trovej.common.guest.GuestUser;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcArgs;
import org.trovej.common.rpc.RpcFailure;

/** The create_instance contract: what TroveJ's API sends, and what the task manager reads from either API. */
class CreateInstanceRequestTest {

    private static final Flavor SMALL = new Flavor("2", "m1.small", 2048, 1, 20, 0);

    @Test
    void theSenderWritesTrovesKeywordArgumentsInTrovesOrder() throws Exception {
        ObjectNode wire = CreateInstanceRequest.builder("id-1", "db1", SMALL, "postgresql")
                .databases(List.of(GuestSchema.named("appdb")))
                .users(List.of(GuestUser.withAccess("app", "s3cret-pw", null, List.of("appdb"))))
                .packages(List.of("postgresql-16"))
                .volumeSize(2)
                .dsVersion("16")
                .build().toWire();

        List<String> names = new ArrayList<>();
        wire.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("instance_id", "name", "flavor", "image_id", "databases", "users",
                "datastore_manager", "packages", "volume_size", "backup_id", "availability_zone", "root_password",
                "nics", "overrides", "slave_of_id", "cluster_config", "volume_type", "modules", "locality", "access",
                "ds_version");
        // Trove's DatastoreSchema/DatastoreUser attribute order (trove/common/db/models.py); a user's databases are
        // whole schema dicts, as populate_users builds them
        assertThat(PythonJson.dumps(wire.get("databases")))
                .isEqualTo("[{\"_name\": \"appdb\", \"_collate\": null, \"_character_set\": null}]");
        assertThat(PythonJson.dumps(wire.get("users"))).isEqualTo("[{\"_name\": \"app\", \"_password\": \"s3cret-pw\", "
                + "\"_host\": \"%\", \"_databases\": [{\"_name\": \"appdb\", \"_collate\": null, "
                + "\"_character_set\": null}], \"_is_root\": false}]");
        assertThat(PythonJson.dumps(wire.get("packages"))).isEqualTo("[\"postgresql-16\"]");
        assertThat(wire.get("volume_size").asInt()).isEqualTo(2);
        assertThat(wire.get("nics").isNull()).isTrue();
    }

    @Test
    void whatTheSenderWritesTheReceiverReadsBackUnchanged() {
        CreateInstanceRequest sent = CreateInstanceRequest.builder("id-2", "db2", SMALL, "mariadb")
                .users(List.of(GuestUser.withAccess("app", "pw-123456", "%", List.of())))
                .rootPassword("root-pw-1")
                .nics(PythonJson.array().add(PythonJson.object().put("net-id", "n1")))
                .build();

        CreateInstanceRequest received = CreateInstanceRequest.fromWire(new RpcArgs("create_instance", sent.toWire()));

        assertThat(received.toWire()).isEqualTo(sent.toWire());
        assertThat(received.toString()).contains("app").doesNotContain("pw-123456").doesNotContain("root-pw-1");
    }

    /** The arguments as Trove's API casts them (instance/models.py, taskmanager/api.py, common/db/models.py). */
    @Test
    void theReceiverReadsTrovesOwnApiAndPassesItsGuestModelsOnWhole() throws Exception {
        ObjectNode args = (ObjectNode) PythonJson.parse("""
                {"instance_id": "id-3", "name": "db3",
                 "flavor": {"id": "d2", "name": "ds1G", "ram": 1024, "vcpus": 1, "disk": 10, "swap": "",
                            "OS-FLV-EXT-DATA:ephemeral": 0, "OS-FLV-DISABLED:disabled": false,
                            "os-flavor-access:is_public": true, "rxtx_factor": 1.0, "links": []},
                 "image_id": "img-1",
                 "databases": [{"_name": "appdb", "_collate": "", "_character_set": ""}],
                 "users": [{"_name": "app", "_password": "pw-abcdef", "_host": "%",
                            "_databases": [{"_name": "appdb", "_collate": null, "_character_set": null}],
                            "_is_root": false}],
                 "datastore_manager": "mysql", "packages": "mysql-server-8.0", "volume_size": 1,
                 "backup_id": null, "availability_zone": "nova", "root_password": null, "nics": [],
                 "overrides": {}, "slave_of_id": null, "cluster_config": null, "volume_type": null,
                 "modules": [], "locality": null, "access": {"is_public": false}, "ds_version": "8.0"}""");

        CreateInstanceRequest request = CreateInstanceRequest.fromWire(new RpcArgs("create_instance", args));

        assertThat(request.flavor()).isEqualTo(new Flavor("d2", "ds1G", 1024, 1, 10, 0));
        assertThat(request.datastoreManager()).isEqualTo("mysql");
        assertThat(request.volumeSize()).isEqualTo(1);
        assertThat(request.dsVersion()).isEqualTo("8.0");
        assertThat(request.users()).as("Trove's user dicts reach prepare as Trove wrote them")
                .isEqualTo(args.get("users"));
        assertThat(request.databases()).isEqualTo(args.get("databases"));
        assertThat(request.packages().asText()).isEqualTo("mysql-server-8.0");
        assertThat(request.toString()).doesNotContain("pw-abcdef");
    }

    @Test
    void aReplicaSetOrAMissingFlavorIsRefusedAsTroveWouldBe() {
        ObjectNode replicas = CreateInstanceRequest.builder("id-4", "db4", SMALL, "mysql").build().toWire();
        replicas.putArray("instance_id").add("r1").add("r2");
        assertThatThrownBy(() -> CreateInstanceRequest.fromWire(new RpcArgs("create_instance", replicas)))
                .isInstanceOfSatisfying(RpcFailure.class, f -> assertThat(f.className()).isEqualTo("ValueError"));

        ObjectNode noFlavor = CreateInstanceRequest.builder("id-5", "db5", SMALL, "mysql").build().toWire();
        noFlavor.remove("flavor");
        assertThatThrownBy(() -> CreateInstanceRequest.fromWire(new RpcArgs("create_instance", noFlavor)))
                .isInstanceOfSatisfying(RpcFailure.class, f -> assertThat(f.className()).isEqualTo("TypeError"));
    }

    @Test
    void absentGuestModelsAreEmptyLists() {
        ObjectNode args = CreateInstanceRequest.builder("id-6", "db6", SMALL, "postgresql").build().toWire();
        args.remove("databases");
        args.putNull("users");
        CreateInstanceRequest request = CreateInstanceRequest.fromWire(new RpcArgs("create_instance", args));
        JsonNode empty = PythonJson.array();
        assertThat(request.databases()).isEqualTo(empty);
        assertThat(request.users()).isEqualTo(empty);
    }
}
