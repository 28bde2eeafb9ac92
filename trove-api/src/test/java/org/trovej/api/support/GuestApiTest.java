package org.trovej.api.support;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.service.keys.InstanceKeyStore;

/**
 * The database, user and root resources of an ACTIVE, HEALTHY PostgreSQL instance of a project of its own, served
 * by a {@link FakeGuest} over the real broker with the instance's key.
 */
public abstract class GuestApiTest extends ApiIntegrationTest {

    /** A datastore the API does not manage databases for (inactive, so datastore lists do not change). */
    protected static final String REDIS7 = "d0000000-0000-4000-8000-0000000000a7";

    @Autowired
    protected RpcTransport rpcTransport;

    @Autowired
    protected InstanceKeyStore keys;

    protected final String project = TestData.project();
    protected String instanceId;
    protected FakeGuest guest;
    private final List<FakeGuest> started = new ArrayList<>();

    @BeforeEach
    void startInstanceAndGuest() {
        jdbc.update("INSERT INTO datastores (id, name) VALUES ('d0000000-0000-4000-8000-00000000000a', 'redis') "
                + "ON CONFLICT DO NOTHING");
        jdbc.update("INSERT INTO datastore_versions (id, datastore_id, name, version, manager, active) VALUES "
                + "(?, 'd0000000-0000-4000-8000-00000000000a', '7', '7.2', 'redis', false) ON CONFLICT DO NOTHING",
                REDIS7);
        instanceId = new TestData.InstanceRow(project).insert(jdbc);
        guest = guestFor(instanceId);
    }

    @AfterEach
    void stopGuests() {
        started.forEach(FakeGuest::close);
    }

    /** A guest for another instance of the test. */
    protected FakeGuest guestFor(String id) {
        FakeGuest g = FakeGuest.start(rpcTransport, jdbc, keys, id);
        started.add(g);
        return g;
    }

    /** {@code /v1.0/<project>/instances/<instance><rest>}. */
    protected String path(String rest) {
        return path(instanceId, rest);
    }

    protected String path(String id, String rest) {
        return "/v1.0/" + project + "/instances/" + id + rest;
    }

    protected static String message(Api.Response response) {
        return response.json().path(response.fault()).path("message").asText();
    }
}
