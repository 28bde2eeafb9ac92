package org.trovej.common.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The methods a server offers and the version it speaks. A message is accepted when its major version is
 * the endpoint's and its minor version is not higher (oslo's rule).
 */
public final class RpcEndpoint {

    /** A method that answers synchronously. */
    @FunctionalInterface
    public interface SyncMethod {
        JsonNode invoke(RpcContext context, RpcArgs args) throws Exception;
    }

    private final String version;
    private final Map<String, RpcMethod> methods;

    private RpcEndpoint(String version, Map<String, RpcMethod> methods) {
        this.version = version;
        this.methods = Map.copyOf(methods);
    }

    public static Builder builder(String version) {
        return new Builder(version);
    }

    public String version() {
        return version;
    }

    public RpcMethod method(String name) {
        return methods.get(name);
    }

    public boolean accepts(String messageVersion) {
        // oslo treats a missing version as 1.0: compatible only when the endpoint is 1.x
        int[] mine = parse(version);
        int[] theirs = parse(messageVersion == null ? "1.0" : messageVersion);
        return theirs != null && mine[0] == theirs[0] && theirs[1] <= mine[1];
    }

    private static int[] parse(String v) {
        String[] parts = v.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return new int[] {major, minor};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static final class Builder {
        private final String version;
        private final Map<String, RpcMethod> methods = new LinkedHashMap<>();

        private Builder(String version) {
            if (parse(version) == null) {
                throw new IllegalArgumentException("bad endpoint version " + version);
            }
            this.version = version;
        }

        public Builder async(String name, RpcMethod method) {
            if (name.startsWith("_")) {
                throw new IllegalArgumentException("RPC methods starting with '_' are private in oslo: " + name);
            }
            methods.put(name, method);
            return this;
        }

        public Builder sync(String name, SyncMethod method) {
            return async(name, (ctx, args) -> {
                JsonNode result = method.invoke(ctx, args);
                return CompletableFuture.completedFuture(result == null ? NullNode.getInstance() : result);
            });
        }

        public RpcEndpoint build() {
            return new RpcEndpoint(version, methods);
        }
    }
}
