package org.trovej.taskmanager.compute;

import java.util.Optional;

/** Data volumes (Cinder, or the local back end's directories). */
public interface VolumeDriver {

    /** Creates the volume for {@code request.instanceId()}, or returns the one already created for it. */
    Volume createVolume(VolumeRequest request);

    Optional<Volume> findVolume(String volumeId);

    /** The volume created for the instance, even when its id never made it to the instance row. */
    Optional<Volume> findVolumeOf(String instanceId);

    /** Grows the volume to {@code newSizeGb}; the guest then grows its filesystem ({@code resize_fs}). */
    Volume extendVolume(String volumeId, int newSizeGb);

    /**
     * Whether {@link #extendVolume} works on a volume in use. When not (Cinder's NFS and many other drivers,
     * and Trove's way in any case), the resize flow stops the database, detaches, extends and attaches again.
     */
    boolean extendsAttached();

    /** Deletes the volume and its data; deleting one that does not exist is not an error. */
    void deleteVolume(String volumeId);
}
