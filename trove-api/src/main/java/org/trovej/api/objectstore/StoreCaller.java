package org.trovej.api.objectstore;

import org.trovej.service.objectstore.StoreTokens.StoreGrant;

/**
 * Who a store request acts for: the whole account of its project (a token the API's own authentication accepts
 * for that project), or a {@link StoreGrant} (a guest's token for one backup's objects).
 *
 * @param grant null for the account's owner
 */
record StoreCaller(String project, StoreGrant grant) {

    static StoreCaller owner(String project) {
        return new StoreCaller(project, null);
    }

    /** Whether the caller may act on the container ({@code object} null) or on the object. */
    boolean allows(String container, String object) {
        return grant == null || grant.allows(project, container, object);
    }

    /** Whether the caller may read (GET, HEAD, copy from) the object. */
    boolean allowsRead(String container, String object) {
        return grant == null || grant.allowsRead(project, container, object);
    }

    /** A grant is for objects, not for removing the container they live in. */
    boolean mayDeleteContainer() {
        return grant == null;
    }

    /** The object-name prefix a listing of {@code container} is limited to ("" for the whole container). */
    String listingScope(String container) {
        if (grant == null) {
            return "";
        }
        String head = container + "/";
        return grant.pathPrefix().startsWith(head) ? grant.pathPrefix().substring(head.length()) : "";
    }
}
