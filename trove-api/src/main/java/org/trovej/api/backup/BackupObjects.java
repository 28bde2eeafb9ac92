package org.trovej.api.backup;

import org.trovej.api.auth.AuthContext;

/** Whether a backup's object is still in the object store, asked before a restore (Trove's check_location_exist). */
public interface BackupObjects {

    /**
     * False only when the store answers that the object at {@code location} is not there; true when it is, or
     * when the store cannot be asked for this caller (the restore then finds out, and says so).
     */
    boolean mayExist(AuthContext caller, String location);
}
