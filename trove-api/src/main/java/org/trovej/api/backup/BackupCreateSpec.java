package org.trovej.api.backup;

/**
 * A {@code POST /backups} body that passed Trove's schema (apischema.py {@code backup}).
 *
 * @param instanceId    the instance to back up; null only when {@code restoreFrom} is given
 * @param incremental   {@code incremental: 1}: on top of the instance's newest completed backup
 * @param storageDriver not in Trove's schema, but read by its controller; null when absent
 */
record BackupCreateSpec(String name, String description, String instanceId, String parentId, boolean incremental,
                        String swiftContainer, RestoreFrom restoreFrom, String storageDriver) {

    /** {@code restore_from}: a backup stored elsewhere, registered with the datastore version it restores into. */
    record RestoreFrom(String remoteLocation, String localDatastoreVersionId, double size) {
    }
}
