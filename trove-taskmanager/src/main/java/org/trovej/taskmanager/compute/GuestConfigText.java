package org.trovej.taskmanager.compute;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two files Trove gives a guest at boot, as text: {@code guest_info.conf} (who the guest is, its RPC key)
 * and {@code trove-guestagent.conf} (broker, exchange, heartbeat interval, and optionally the datastore
 * manager's own section, the backup encryption key). Each back end delivers them its own way (files beside a
 * local process, cloud-init
 * user data on Nova). Both hold secrets: whoever writes them keeps them readable by their owner only.
 */
public final class GuestConfigText {

    /** Where Trove's guest image reads them (its {@code --config-dir}). */
    public static final String CONF_DIR = "/etc/trove/conf.d";
    public static final String GUEST_INFO = "guest_info.conf";
    public static final String AGENT_CONF = "trove-guestagent.conf";

    private GuestConfigText() {
    }

    public static String guestInfo(GuestBootstrap guest, String writtenBy) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("guest_id", guest.guestId());
        info.put("datastore_manager", guest.datastoreManager());
        info.put("datastore_version", guest.datastoreVersion());
        info.put("tenant_id", guest.tenantId());
        if (guest.instanceKey() != null) {
            info.put("instance_rpc_encr_key", guest.instanceKey());
        }
        return "# Written by the TroveJ task manager (" + writtenBy + ")\n" + section("DEFAULT", info);
    }

    /**
     * @param extraDefaults more {@code [DEFAULT]} keys (back-end specific)
     * @param sectionName   the datastore manager's section, or null for none
     */
    public static String agentConf(GuestBootstrap guest, Duration reportInterval, Map<String, String> extraDefaults,
                                   String sectionName, Map<String, String> sectionValues, String writtenBy) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("transport_url", guest.transportUrl());
        defaults.put("control_exchange", guest.controlExchange());
        defaults.put("conductor_queue", guest.conductorQueue());
        defaults.put("report_interval", Long.toString(reportInterval.toSeconds()));
        // Trove's option: the key the guest encrypts backups with and decrypts restores with (a null is left out)
        defaults.put("backup_encryption_key", guest.backupEncryptionKey());
        defaults.put("backup_compression", guest.backupCompression());
        defaults.putAll(extraDefaults);
        String text = "# Written by the TroveJ task manager (" + writtenBy + ")\n" + section("DEFAULT", defaults);
        return sectionName == null ? text : text + "\n" + section(sectionName, sectionValues);
    }

    static String section(String name, Map<String, String> values) {
        StringBuilder text = new StringBuilder("[").append(name).append("]\n");
        values.forEach((k, v) -> {
            if (v != null) {
                if (v.contains("\n")) {
                    throw new IllegalArgumentException(k + " may not span lines");
                }
                text.append(k).append(" = ").append(v).append('\n');
            }
        });
        return text.toString();
    }
}
