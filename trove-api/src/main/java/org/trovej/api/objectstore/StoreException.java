package org.trovej.api.objectstore;

/** A refusal of the object store, answered as Swift does: the status and a short plain-text body. */
public class StoreException extends RuntimeException {

    private final int status;

    public StoreException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static StoreException badRequest(String message) {
        return new StoreException(400, message);
    }

    static StoreException notFound() {
        return new StoreException(404, "Not Found");
    }
}
