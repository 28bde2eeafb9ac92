package org.trovej.taskmanager.compute;

import java.util.List;
import java.util.Optional;

import org.trovej.common.flavor.Flavor;

/**
 * Servers (Nova, or the local back end's guest processes). Calls return once the back end has accepted the
 * request; the flows poll {@link #findServer} for the outcome, as Trove polls Nova.
 */
public interface ComputeDriver {

    /** Creates the server for {@code request.instanceId()}, or returns the one already created for it. */
    Server createServer(ServerRequest request);

    /** The server, or empty when it does not exist (never created, or deleted). */
    Optional<Server> findServer(String serverId);

    /**
     * The server created for the instance, even when its id never made it to the instance row (the task
     * manager died right after creating it): a delete must not leave it behind.
     */
    Optional<Server> findServerOf(String instanceId);

    /** Deletes the server; deleting one that does not exist is not an error. */
    void deleteServer(String serverId);

    /** Hard reboot: off, then on again. */
    void rebootServer(String serverId);

    void powerOff(String serverId);

    void powerOn(String serverId);

    /**
     * The image {@code imageId} names, checked before anything is stopped: it exists and can boot a server (Glance:
     * active); its id. A {@link ComputeException} naming what is wrong otherwise.
     */
    String requireImage(String imageId);

    /**
     * The guest's settings for another version of its datastore, where this back end keeps several on one server
     * (the local back end: the guest's section naming the version's programs); empty where the server's programs are
     * the ones it has (a Nova server: its image's). A {@link ComputeException} when this back end cannot run that
     * version for the server at all (e.g. no such binaries on the host).
     */
    java.util.Map<String, String> datastoreSettingsFor(String serverId, String manager, String versionName,
                                                       String versionNumber);

    /**
     * Once the guest has converted the data: the server runs {@code versionName} from now on, with
     * {@code settings} ({@link #datastoreSettingsFor}'s; empty: nothing changes), and its guest agent is restarted to
     * take them. Returns once the agent runs again.
     */
    void switchDatastoreVersion(String serverId, String manager, String versionName,
                                java.util.Map<String, String> settings);

    /**
     * Rebuilds the server from the image (Nova's rebuild): its root disk (locally: the guest agent's program and
     * configuration) is new, its data volume and addresses stay; returns once the server is ACTIVE again.
     */
    void rebuildServer(String serverId, String imageId);

    /** Gives the server {@code flavor}'s resources (Nova: resize and confirm). */
    void resizeServer(String serverId, Flavor flavor);

    /** Detaches the volume from the server and returns once it is detached (a directory is never detached). */
    void detachVolume(String serverId, String volumeId);

    /** Attaches the volume to the server again and returns once it is attached. */
    void attachVolume(String serverId, String volumeId);

    /** The last lines of the server's console (Nova's console log; locally the guest agent's log). */
    List<String> consoleLog(String serverId, int lines);
}
