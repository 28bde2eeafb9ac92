package org.trovej.taskmanager.compute.local;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The local back end's own state in the control-plane database: which loopback address each instance holds
 * ({@code local_addresses}, V3 migration) and the ordinals new addresses are made from ({@code local_address_seq}).
 * The table's keys (address; instance) keep two instances from ever holding one address, across task managers;
 * an address is held from its allocation until its instance is deleted or its failed build cleaned up.
 */
public class LocalAddresses {

    private final JdbcTemplate jdbc;

    public LocalAddresses(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The address the instance holds, if any. */
    public Optional<String> heldBy(String instanceId) {
        List<String> held = jdbc.queryForList("SELECT address FROM local_addresses WHERE instance_id = ?",
                String.class, instanceId);
        return held.stream().findFirst();
    }

    /** The next ordinal (1, 2, ...; unique across task managers and restarts) to make an address from. */
    public long nextOrdinal() {
        return jdbc.queryForObject("SELECT nextval('local_address_seq')", Long.class);
    }

    /** Takes {@code address} for the instance; false when another instance holds it, or this one holds one. */
    public boolean claim(String address, String instanceId) {
        return jdbc.update("INSERT INTO local_addresses (address, instance_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                address, instanceId) > 0;
    }

    /** Gives the instance's address back; releasing what is not held is not an error. */
    public void release(String instanceId) {
        jdbc.update("DELETE FROM local_addresses WHERE instance_id = ?", instanceId);
    }
}
