package org.trovej.common.rpc;

/**
 * An error a server reports to its caller in oslo's failure format, named as the Python exception a Trove
 * peer expects ({@code module}, {@code class}). Handlers throw it for client-visible errors; any other
 * exception is reported under its Java class name.
 */
public class RpcFailure extends RuntimeException {

    private final String module;
    private final String className;

    public RpcFailure(String module, String className, String message) {
        super(message);
        this.module = module;
        this.className = className;
    }

    public String module() {
        return module;
    }

    public String className() {
        return className;
    }

    static RpcFailure noSuchMethod(String method) {
        return new RpcFailure("oslo_messaging.rpc.dispatcher", "NoSuchMethod",
                "Endpoint does not support RPC method " + method);
    }

    static RpcFailure unsupportedVersion(String version, String method) {
        return new RpcFailure("oslo_messaging.rpc.dispatcher", "UnsupportedVersion",
                "Endpoint does not support RPC version " + version + ". Attempted method: " + method);
    }
}
