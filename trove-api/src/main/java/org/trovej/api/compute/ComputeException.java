package org.trovej.api.compute;

/** A refusal of the compute API, written in Nova's fault shape by {@link ComputeFaultHandler}. */
class ComputeException extends RuntimeException {

    private final int status;

    ComputeException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ComputeException serverNotFound(String id) {
        return new ComputeException(404, "Instance " + id + " could not be found.");
    }

    static ComputeException flavorNotFound(String id) {
        return new ComputeException(404, "Flavor " + id + " could not be found.");
    }

    static ComputeException badRequest(String message) {
        return new ComputeException(400, message);
    }

    static ComputeException policy(String rule) {
        return new ComputeException(403, "Policy doesn't allow " + rule + " to be performed.");
    }
}
