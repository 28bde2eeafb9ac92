package org.trovej.service.quota;

/**
 * A quota change refused, with the HTTP status Trove answers it with (trove/common/wsgi.py's fault map): over a
 * limit 413 (QuotaExceeded), an unknown resource 404 (QuotaResourceUnknown), a limit below -1 400
 * (QuotaLimitTooSmall). The API answers it as a fault; the task manager records it where its operation fails.
 */
public class QuotaRefused extends RuntimeException {

    private final int status;

    private QuotaRefused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static QuotaRefused overLimit(String message) {
        return new QuotaRefused(413, message);
    }

    static QuotaRefused unknownResource(String message) {
        return new QuotaRefused(404, message);
    }

    static QuotaRefused limitTooSmall(String message) {
        return new QuotaRefused(400, message);
    }
}
