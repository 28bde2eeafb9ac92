package org.trovej.api.guest;

import org.trovej.common.guest.GuestSchema;
import org.trovej.common.guest.GuestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.api.error.ApiException;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RemoteError;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcTimeoutException;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.service.guest.GuestTimeouts;

/**
 * The guest agent's database, user and root methods (Trove's guestagent/api.py, RPC reference §6.3) with
 * Trove's argument names and timeouts (low for reads, access changes and disable_root; high for changes,
 * enable_root and list_users).
 *
 * <p>Every method is a call, also those Trove casts (create_*, delete_*, update_attributes, change_passwords):
 * oslo dispatches a call to the same method, so a Trove guest still serves it and replies null, and a failure
 * comes back to the request instead of being lost. A failure reply is mapped by the remote exception's class as
 * Trove's API maps its own exceptions: {@code UserNotFound}, {@code DatabaseNotFound} → 404;
 * {@code UserAlreadyExists}, {@code DatabaseAlreadyExists}, {@code BadRequest} → 400; anything else → 500 with
 * Trove's GuestError text. No reply within the timeout is Trove's GuestTimeout (400). Passwords the request
 * carried are masked in any message.
 */
@Component
public class GuestDataClient {

    private static final Logger log = LoggerFactory.getLogger(GuestDataClient.class);
    private static final Set<String> NOT_FOUND = Set.of("UserNotFound", "DatabaseNotFound");
    private static final Set<String> BAD_REQUEST = Set.of("UserAlreadyExists", "DatabaseAlreadyExists", "BadRequest");
    /** A value the database engine refuses (a configuration group's): the request's fault, as Trove's 422. */
    private static final Set<String> UNPROCESSABLE = Set.of("UnprocessableEntity");
    /** A guest without the method (oslo's NoSuchMethod) or one that refuses it for its datastore. */
    private static final Set<String> NOT_SUPPORTED = Set.of("NoSuchMethod", "DatastoreOperationNotSupported");
    public static final String TIMEOUT = "Timeout trying to connect to the Guest Agent.";

    private final GuestAgentClient guests;
    private final GuestTimeouts timeouts;

    public GuestDataClient(GuestAgentClient guests, GuestTimeouts timeouts) {
        this.guests = guests;
        this.timeouts = timeouts;
    }

    /** One page of a guest list and the marker of the next page (null on the last). */
    public record Page<T>(List<T> items, String nextMarker) {
    }

    public Page<GuestSchema> listDatabases(RpcContext context, String instanceId, int limit, String marker,
                                           boolean includeMarker) {
        JsonNode reply = call(context, instanceId, "list_databases", pageArgs(limit, marker, includeMarker),
                timeouts.low(), List.of());
        return page(reply, "list_databases", GuestSchema::fromWire);
    }

    public void createDatabases(RpcContext context, String instanceId, List<GuestSchema> databases) {
        ObjectNode args = PythonJson.object();
        ArrayNode list = args.putArray("databases");
        databases.forEach(db -> list.add(db.toWire()));
        call(context, instanceId, "create_database", args, timeouts.high(), List.of());
    }

    public void deleteDatabase(RpcContext context, String instanceId, GuestSchema database) {
        ObjectNode args = PythonJson.object();
        args.set("database", database.toWire());
        call(context, instanceId, "delete_database", args, timeouts.high(), List.of());
    }

    public Page<GuestUser> listUsers(RpcContext context, String instanceId, int limit, String marker,
                                     boolean includeMarker) {
        JsonNode reply = call(context, instanceId, "list_users", pageArgs(limit, marker, includeMarker),
                timeouts.high(), List.of());
        return page(reply, "list_users", GuestUser::fromWire);
    }

    /** The user, or null when the guest has none of that name and host. */
    public GuestUser getUser(RpcContext context, String instanceId, String username, String hostname) {
        JsonNode reply = call(context, instanceId, "get_user", userArgs(username, hostname), timeouts.low(),
                List.of());
        return reply == null || reply.isNull() ? null : read(reply, "get_user", GuestUser::fromWire);
    }

    public void createUsers(RpcContext context, String instanceId, List<GuestUser> users) {
        ObjectNode args = PythonJson.object();
        ArrayNode list = args.putArray("users");
        users.forEach(u -> list.add(u.toWire()));
        call(context, instanceId, "create_user", args, timeouts.high(), users.stream().map(GuestUser::password).toList());
    }

    public void deleteUser(RpcContext context, String instanceId, GuestUser user) {
        ObjectNode args = PythonJson.object();
        args.set("user", user.toWire());
        call(context, instanceId, "delete_user", args, timeouts.high(), List.of());
    }

    /** @param attributes any of {@code name}, {@code password}, {@code host} */
    public void updateAttributes(RpcContext context, String instanceId, String username, String hostname,
                                 ObjectNode attributes) {
        ObjectNode args = userArgs(username, hostname);
        args.set("user_attrs", attributes);
        JsonNode password = attributes.get("password");
        call(context, instanceId, "update_attributes", args, timeouts.high(),
                password == null ? List.of() : List.of(password.asText()));
    }

    /** {@code change_passwords}: plain {@code name}, {@code host}, {@code password} keys, as Trove sends them. */
    public void changePasswords(RpcContext context, String instanceId, List<GuestUser> users) {
        ObjectNode args = PythonJson.object();
        ArrayNode list = args.putArray("users");
        users.forEach(u -> list.addObject().put("name", u.name()).put("host", u.host()).put("password", u.password()));
        call(context, instanceId, "change_passwords", args, timeouts.high(),
                users.stream().map(GuestUser::password).toList());
    }

    public List<GuestSchema> listAccess(RpcContext context, String instanceId, String username, String hostname) {
        JsonNode reply = call(context, instanceId, "list_access", userArgs(username, hostname), timeouts.low(),
                List.of());
        return read(reply, "list_access", r -> {
            if (!r.isArray()) {
                throw new IllegalArgumentException("a list was expected");
            }
            List<GuestSchema> out = new ArrayList<>();
            r.forEach(db -> out.add(GuestSchema.fromWire(db)));
            return out;
        });
    }

    public void grantAccess(RpcContext context, String instanceId, String username, String hostname,
                            List<String> databases) {
        ObjectNode args = userArgs(username, hostname);
        ArrayNode list = args.putArray("databases");
        databases.forEach(list::add);
        call(context, instanceId, "grant_access", args, timeouts.low(), List.of());
    }

    public void revokeAccess(RpcContext context, String instanceId, String username, String hostname,
                             String database) {
        ObjectNode args = userArgs(username, hostname);
        args.put("database", database);
        call(context, instanceId, "revoke_access", args, timeouts.low(), List.of());
    }

    /**
     * {@code enable_root}, or {@code enable_root_with_password} when a password is given: the root user with its
     * (new or given) password.
     */
    public GuestUser enableRoot(RpcContext context, String instanceId, String password) {
        JsonNode reply;
        if (password == null) {
            reply = call(context, instanceId, "enable_root", PythonJson.object(), timeouts.high(), List.of());
        } else {
            ObjectNode args = PythonJson.object();
            args.put("root_password", password);
            reply = call(context, instanceId, "enable_root_with_password", args, timeouts.high(),
                    List.of(password));
        }
        return read(reply, "enable_root", GuestUser::fromWire);
    }

    public void disableRoot(RpcContext context, String instanceId) {
        call(context, instanceId, "disable_root", PythonJson.object(), timeouts.low(), List.of());
    }

    /**
     * {@code update_overrides}: a configuration group's values persisted on the guest for its next start
     * ({@code remove}: the group taken away). A value the engine refuses comes back as 422 naming it.
     */
    public void updateOverrides(RpcContext context, String instanceId, ObjectNode overrides, boolean remove) {
        ObjectNode args = PythonJson.object();
        args.set("overrides", overrides);
        args.put("remove", remove);
        call(context, instanceId, "update_overrides", args, timeouts.high(), List.of());
    }

    /** {@code apply_overrides}: the values applied to the running database. */
    public void applyOverrides(RpcContext context, String instanceId, ObjectNode overrides) {
        ObjectNode args = PythonJson.object();
        args.set("overrides", overrides);
        call(context, instanceId, "apply_overrides", args, timeouts.high(), List.of());
    }

    private JsonNode call(RpcContext context, String instanceId, String method, ObjectNode args, Duration timeout,
                          Collection<String> secrets) {
        try {
            return guests.call(context, instanceId, method, args, timeout);
        } catch (RemoteError e) {
            throw translate(instanceId, method, e, secrets);
        } catch (RpcTimeoutException e) {
            log.warn("Guest of instance {} did not answer {} within {} s", instanceId, method, timeout.toSeconds());
            throw ApiException.badRequest(TIMEOUT);
        } catch (RuntimeException e) {
            // Trove's guest API turns any other failure into a GuestError
            log.warn("Calling {} on the guest of instance {} failed: {}", method, instanceId, e.toString());
            throw guestError(mask(e.getMessage(), secrets));
        }
    }

    public static ApiException translate(String instanceId, String method, RemoteError e,
                                         Collection<String> secrets) {
        String type = e.excType() == null ? "" : e.excType();
        String value = mask(e.value() == null ? "" : e.value(), secrets);
        if (NOT_FOUND.contains(type)) {
            return ApiException.notFound(value);
        }
        if (BAD_REQUEST.contains(type)) {
            return ApiException.badRequest(value);
        }
        if (UNPROCESSABLE.contains(type)) {
            return ApiException.unprocessable(value);
        }
        if (NOT_SUPPORTED.contains(type)) {
            // Trove's DatastoreOperationNotSupported (501), not a server error: this guest cannot do it
            return ApiException.notImplemented("The '" + method + "' operation is not supported by the guest of "
                    + "instance " + instanceId + ".");
        }
        log.warn("Guest of instance {} failed {}: {}", instanceId, method, type);
        return guestError(type.equals("GuestError") || type.isEmpty() ? value : type + ": " + value);
    }

    /** Trove's GuestError: "An error occurred communicating with the guest: %(original_message)s." */
    private static ApiException guestError(String original) {
        String text = original == null ? "" : original;
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return new ApiException(500, "An error occurred communicating with the guest: " + text + ".");
    }

    static String mask(String message, Collection<String> secrets) {
        if (message == null) {
            return null;
        }
        String out = message;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }

    private static ObjectNode pageArgs(int limit, String marker, boolean includeMarker) {
        ObjectNode args = PythonJson.object();
        args.put("limit", limit);
        args.put("marker", marker);
        args.put("include_marker", includeMarker);
        return args;
    }

    private static ObjectNode userArgs(String username, String hostname) {
        ObjectNode args = PythonJson.object();
        args.put("username", username);
        args.put("hostname", hostname);
        return args;
    }

    /** {@code [[item, ...], next_marker]} as the guest returns a page (a Python tuple). */
    private static <T> Page<T> page(JsonNode reply, String method, Function<JsonNode, T> item) {
        return read(reply, method, r -> {
            if (!r.isArray() || r.size() != 2 || !r.get(0).isArray()) {
                throw new IllegalArgumentException("[[items], next_marker] was expected");
            }
            List<T> items = new ArrayList<>();
            r.get(0).forEach(i -> items.add(item.apply(i)));
            JsonNode next = r.get(1);
            return new Page<>(items, next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText());
        });
    }

    private static <T> T read(JsonNode reply, String method, Function<JsonNode, T> reader) {
        try {
            if (reply == null || reply.isNull()) {
                throw new IllegalArgumentException("no value");
            }
            return reader.apply(reply);
        } catch (IllegalArgumentException e) {
            throw guestError("unexpected reply to " + method + ": " + e.getMessage());
        }
    }
}
