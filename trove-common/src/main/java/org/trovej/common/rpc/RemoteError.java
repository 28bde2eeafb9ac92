package org.trovej.common.rpc;

import java.util.List;

/** The failure a remote server replied with to our call (oslo's RemoteError). */
public class RemoteError extends RuntimeException {

    private final String excType;
    private final String module;
    private final String value;
    private final List<String> traceback;

    public RemoteError(String module, String excType, String value, List<String> traceback) {
        super("Remote error: " + excType + " " + value);
        this.module = module;
        this.excType = excType;
        this.value = value;
        this.traceback = traceback == null ? List.of() : List.copyOf(traceback);
    }

    /** The remote exception's class name, e.g. {@code NoSuchMethod}. */
    public String excType() {
        return excType;
    }

    /** The remote exception's message (oslo's RemoteError.value), without the class name. */
    public String value() {
        return value;
    }

    public String module() {
        return module;
    }

    public List<String> traceback() {
        return traceback;
    }
}
