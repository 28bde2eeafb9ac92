package org.trovej.guestagent.datastore;

import java.util.Map;

import org.trovej.common.upgrade.UpgradeInfo;

/**
 * An engine's part of {@code upgrade}: the data converted for another version's programs, with the database stopped
 * before and after. The default takes only the programs the agent runs (Trove's image-based upgrade: a restart on
 * them) and refuses others.
 */
public interface DatastoreUpgrade {

    /**
     * Converts the data in place for {@code info}'s version; the database is stopped. On failure the old data must be
     * back as it was, for the caller to start it again.
     *
     * @param current the agent's own settings section (what it runs now)
     */
    void convert(UpgradeInfo info, Map<String, String> current) throws Exception;

    /** After the new version runs healthy: what {@link #convert} kept of the old data may go. */
    default void removeOldData() throws Exception {
    }

    /**
     * Restarts on the programs the agent runs; other programs are refused, saying so, and so is another version
     * without programs for it (a Nova server has only its image's).
     *
     * @param runs the datastore version the agent was started for (guest_info's {@code datastore_version})
     */
    static DatastoreUpgrade sameProgramsOnly(String engine, String runs) {
        return (info, current) -> {
            if (info.settings().isEmpty() && runs != null && !runs.equals(info.datastoreVersion())) {
                throw new GuestError("This guest agent runs " + engine + " " + runs + " and has no other programs: it "
                        + "cannot upgrade to " + info.datastoreVersion());
            }
            for (Map.Entry<String, String> setting : info.settings().entrySet()) {
                String now = current.get(setting.getKey());
                if (now != null && !now.strip().equals(setting.getValue().strip())) {
                    throw new GuestError("This guest agent upgrades " + engine + " only by restarting the programs it "
                            + "runs (" + setting.getKey() + " = " + now + "), not to " + setting.getValue());
                }
            }
        };
    }
}
