package org.trovej.api.objectstore;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.backup.BackupObjects;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.common.objectstore.SwiftException;

/**
 * The backup objects check for the back end in use: on the local back end the objects are in this API's local
 * store, looked up directly; on the openstack back end they are in Swift, asked with a HEAD carrying the caller's
 * Keystone token, as Trove asks (trove/backup/models.py {@code check_swift_object_exist}). Without a token (noauth)
 * Swift cannot be asked for the caller.
 */
@Component
class StoredBackupObjects implements BackupObjects {

    private static final Logger log = LoggerFactory.getLogger(StoredBackupObjects.class);
    private static final String ACCOUNT_PREFIX = "AUTH_";

    private final LocalObjectStore store;
    private final boolean local;
    private volatile SwiftClient swift;

    StoredBackupObjects(LocalObjectStore store, Environment environment) {
        this.store = store;
        this.local = "local".equals(environment.getProperty("trovej.compute.backend", "local"));
    }

    @Override
    public boolean mayExist(AuthContext caller, String location) {
        ObjectLocation parsed;
        try {
            parsed = ObjectLocation.parse(location);
        } catch (IllegalArgumentException e) {
            return false; // nothing can be restored from there
        }
        return local ? inLocalStore(parsed) : inSwift(caller, parsed);
    }

    private boolean inLocalStore(ObjectLocation location) {
        String path = location.accountUrl().getPath();
        String account = path.substring(path.lastIndexOf('/') + 1);
        if (!account.startsWith(ACCOUNT_PREFIX)) {
            return false;
        }
        try {
            return store.readOrNull(account.substring(ACCOUNT_PREFIX.length()), location.container(),
                    location.object()) != null;
        } catch (StoreException | IllegalArgumentException e) {
            return false; // a name the store cannot hold
        }
    }

    private boolean inSwift(AuthContext caller, ObjectLocation location) {
        if (caller.token() == null) {
            return true;
        }
        try {
            Optional<?> head = client().account(location.accountUrl(), caller.token())
                    .head(location.container(), location.object());
            return head.isPresent();
        } catch (SwiftException e) {
            log.warn("Could not ask Swift whether {} exists: {}", location, e.getMessage());
            return true;
        }
    }

    private SwiftClient client() {
        SwiftClient client = swift;
        if (client == null) {
            synchronized (this) {
                if (swift == null) {
                    swift = new SwiftClient();
                }
                client = swift;
            }
        }
        return client;
    }
}
