package org.trovej.api.user;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.trovej.api.ApiProperties;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.error.ApiException;
import org.trovej.api.guest.DatastoreRules;
import org.trovej.api.guest.GuestDataClient;
import org.trovej.common.guest.GuestSchema;
import org.trovej.common.guest.GuestUser;
import org.trovej.api.instance.GuestInstances;
import org.trovej.api.validation.AccountSchemas;
import org.trovej.api.web.PageLimit;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcContext;

/**
 * An instance's users and their access to databases (Trove's UserController, UserAccessController and User /
 * Users models), step for step in Trove's order: the instance lookup, the datastore's checks of names, hosts and
 * passwords (each refusal worded as Trove's controller wraps it), Trove's load_and_verify, the guest lookups
 * (duplicates, "cannot be found"), then the change on the guest. No transaction is held across guest calls.
 * Passwords go to the guest only, sealed with the instance's key; they are never logged or shown.
 */
@Service
public class UserService {

    private static final Logger log = LoggerFactory.getLogger(UserService.class);

    private final GuestInstances instances;
    private final GuestDataClient guest;
    private final int pageSize;

    public UserService(GuestInstances instances, GuestDataClient guest, ApiProperties properties) {
        this.instances = instances;
        this.guest = guest;
        this.pageSize = properties.usersPageSize();
    }

    /** A page of users and the {@code user@host} marker of the next page (null on the last). */
    public record Page(List<GuestUser> users, String nextMarker) {
    }

    public Page list(AuthContext caller, String instanceId, String limit, String marker, String requestId) {
        GuestInstances.Target target = load(caller, instanceId, "user:index");
        verify(target);
        int size = PageLimit.of(limit, pageSize);
        GuestDataClient.Page<GuestUser> page = guest.listUsers(context(caller, requestId), target.id(), size, marker,
                false);
        DatastoreRules rules = DatastoreRules.of(target.manager());
        return new Page(page.items().stream().filter(u -> !rules.ignoredUsers().contains(u.name())).toList(),
                page.nextMarker());
    }

    /** Trove's create: schema, populate_users with the datastore's model, duplicate check, create_user. */
    public void create(AuthContext caller, String instanceId, JsonNode body, String requestId) {
        AccountSchemas.body(body, "users", AccountSchemas::usersList).throwIfAny();
        GuestInstances.Target target = load(caller, instanceId, "user:create");
        List<GuestUser> users = populate(DatastoreRules.of(target.manager()), body.get("users"));
        verify(target);
        RpcContext context = context(caller, requestId);
        for (GuestUser user : users) {
            if (exists(context, target.id(), user.name(), user.host())) {
                throw alreadyExists(user.name());
            }
        }
        guest.createUsers(context, target.id(), users);
        log.info("Users {} created on instance {}", users.stream().map(GuestUser::userAtHost).toList(), target.id());
    }

    public GuestUser show(AuthContext caller, String instanceId, String segment, String requestId) {
        GuestInstances.Target target = load(caller, instanceId, "user:show");
        UserId id = UserId.parse(segment);
        return found(id, find(target, context(caller, requestId), id, "User show error: "));
    }

    /** Trove's update_attributes: the user must exist; a new name or host must be valid and not taken. */
    public void update(AuthContext caller, String instanceId, String segment, JsonNode body, String requestId) {
        AccountSchemas.body(body, "user", AccountSchemas::userAttributes).throwIfAny();
        GuestInstances.Target target = load(caller, instanceId, "user:update");
        UserId id = UserId.parse(segment);
        RpcContext context = context(caller, requestId);
        found(id, find(target, context, id, "Error loading user: "));
        JsonNode attributes = body.get("user");
        String newName = truthy(attributes.get("name")) ? attributes.get("name").textValue() : null;
        String newHost = truthy(attributes.get("host")) ? attributes.get("host").textValue() : null;
        String name = newName != null ? newName : id.name();
        String host = newHost != null ? newHost : id.host();
        DatastoreRules rules = DatastoreRules.of(target.manager());
        try {
            rules.checkUserName(name);
            rules.checkHost(host);
            rules.checkReservedUser(name);
        } catch (DatastoreRules.Invalid e) {
            throw ApiException.badRequest("User update error: " + e.getMessage());
        }
        if ((newName != null || newHost != null) && exists(context, target.id(), name, host)) {
            throw alreadyExists(name);
        }
        ObjectNode attrs = PythonJson.object();
        for (String key : new String[] {"name", "password", "host"}) {
            if (attributes.has(key)) {
                attrs.set(key, attributes.get(key));
            }
        }
        guest.updateAttributes(context, target.id(), id.name(), id.host(), attrs);
        log.info("User {}@{} on instance {} updated ({})", id.name(), id.host(), target.id(),
                String.join(", ", iterable(attrs)));
    }

    /** Trove's update_all: every user must exist; then one change_passwords. */
    public void changePasswords(AuthContext caller, String instanceId, JsonNode body, String requestId) {
        AccountSchemas.body(body, "users", AccountSchemas::usersList).throwIfAny();
        GuestInstances.Target target = load(caller, instanceId, "user:update_all");
        DatastoreRules rules = DatastoreRules.of(target.manager());
        RpcContext context = context(caller, requestId);
        List<GuestUser> users = new ArrayList<>();
        for (JsonNode user : body.get("users")) {
            String name = user.get("name").textValue();
            String password = user.get("password").textValue();
            String host = truthy(user.get("host")) ? user.get("host").textValue() : null;
            try {
                rules.checkUserName(name);
                rules.checkPassword(password);
                if (host != null) {
                    rules.checkHost(host);
                }
            } catch (DatastoreRules.Invalid e) {
                throw ApiException.badRequest("Error loading user: " + e.getMessage());
            }
            GuestUser changed = new GuestUser(name, host, password, List.of(), false);
            UserId id = new UserId(changed.userAtHost(), changed.name(), changed.host());
            found(id, find(target, context, id, "Error loading user: "));
            users.add(changed);
        }
        guest.changePasswords(context, target.id(), users);
        log.info("Passwords of {} changed on instance {}", users.stream().map(GuestUser::userAtHost).toList(),
                target.id());
    }

    public void delete(AuthContext caller, String instanceId, String segment, String requestId) {
        GuestInstances.Target target = load(caller, instanceId, "user:delete");
        UserId id = UserId.parse(segment);
        DatastoreRules rules = DatastoreRules.of(target.manager());
        checked("User delete error: ", () -> checkNameAndHost(rules, id));
        GuestUser user = found(id, find(target, context(caller, requestId), id, "User delete error: "));
        guest.deleteUser(context(caller, requestId), target.id(), GuestUser.of(user.name(), user.host()));
        log.info("User {}@{} deleted on instance {}", id.name(), id.host(), target.id());
    }

    /** The databases the user has access to. */
    public List<GuestSchema> access(AuthContext caller, String instanceId, String segment, String requestId) {
        GuestInstances.Target target = load(caller, instanceId, "user_access:index");
        UserId id = UserId.parse(segment);
        RpcContext context = context(caller, requestId);
        found(id, find(target, context, id, "Error loading user: "));
        return guest.listAccess(context, target.id(), id.name(), id.host());
    }

    /**
     * Grants access to databases. Names the datastore refuses, reserved ones included, are refused here with
     * the guest's message, before anything is sent.
     */
    public void grant(AuthContext caller, String instanceId, String segment, JsonNode body, String requestId) {
        AccountSchemas.body(body, "databases", AccountSchemas::databasesRefList).throwIfAny();
        GuestInstances.Target target = load(caller, instanceId, "user_access:update");
        UserId id = UserId.parse(segment);
        RpcContext context = context(caller, requestId);
        found(id, find(target, context, id, "Error loading user: "));
        DatastoreRules rules = DatastoreRules.of(target.manager());
        List<String> databases = new ArrayList<>();
        for (JsonNode db : body.get("databases")) {
            String name = db.get("name").textValue();
            try {
                rules.checkSchemaName(name);
                rules.checkReservedDb(name);
            } catch (DatastoreRules.Invalid e) {
                throw ApiException.badRequest("Grant access to " + name + " is not allowed");
            }
            databases.add(name);
        }
        guest.grantAccess(context, target.id(), id.name(), id.host(), databases);
        log.info("User {}@{} on instance {} granted access to {}", id.name(), id.host(), target.id(), databases);
    }

    /** Revokes access to one database; 404 when the user has no access to it. */
    public void revoke(AuthContext caller, String instanceId, String segment, String database, String requestId) {
        GuestInstances.Target target = load(caller, instanceId, "user_access:delete");
        UserId id = UserId.parse(segment);
        RpcContext context = context(caller, requestId);
        found(id, find(target, context, id, "Error loading user: "));
        List<GuestSchema> access = guest.listAccess(context, target.id(), id.name(), id.host());
        if (access.stream().noneMatch(db -> database.equals(db.name()))) {
            throw ApiException.notFound("Database " + database + " cannot be found on the instance.");
        }
        guest.revokeAccess(context, target.id(), id.name(), id.host(), database);
        log.info("User {}@{} on instance {} lost access to {}", id.name(), id.host(), target.id(), database);
    }

    /**
     * Trove's populate_users with the datastore's model: name, host, reserved, unique (name, host), password,
     * databases; a refusal is "User create error: ...".
     */
    static List<GuestUser> populate(DatastoreRules rules, JsonNode users) {
        List<GuestUser> out = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        for (JsonNode user : users) {
            String name = user.get("name").textValue();
            String host = user.has("host") ? user.get("host").textValue() : "%";
            String password = user.get("password").textValue();
            List<GuestSchema> databases = new ArrayList<>();
            try {
                rules.checkUserName(name);
                if (!host.isEmpty()) {
                    rules.checkHost(host);
                }
                rules.checkReservedUser(name);
                if (!seen.add(List.of(name, host))) {
                    throw ApiException.badRequest("Two or more users share the same name and host in the initial "
                            + "users list. Please correct the names or remove the duplicate entries.");
                }
                rules.checkPassword(password);
                if (user.has("databases")) {
                    for (JsonNode db : user.get("databases")) {
                        String dbName = db.get("name").textValue();
                        rules.checkSchemaName(dbName);
                        GuestSchema schema = GuestSchema.named(dbName);
                        if (!databases.contains(schema)) {
                            databases.add(schema);
                        }
                    }
                }
            } catch (DatastoreRules.Invalid e) {
                throw ApiException.badRequest("User create error: " + e.getMessage());
            }
            out.add(new GuestUser(name, host, password, databases, false));
        }
        return out;
    }

    /**
     * Trove's User.load: load_and_verify, the datastore's checks of name and host (refusals prefixed as the
     * calling controller words them), then get_user; null when the guest has no such user.
     */
    private GuestUser find(GuestInstances.Target target, RpcContext context, UserId id, String errorPrefix) {
        verify(target);
        DatastoreRules rules = DatastoreRules.of(target.manager());
        checked(errorPrefix, () -> {
            checkNameAndHost(rules, id);
            rules.checkReservedUser(id.name());
        });
        return guest.getUser(context, target.id(), id.name(), id.host());
    }

    private static void checkNameAndHost(DatastoreRules rules, UserId id) {
        rules.checkUserName(id.name());
        if (!id.host().isEmpty()) {
            rules.checkHost(id.host());
        }
    }

    private static GuestUser found(UserId id, GuestUser user) {
        if (user == null) {
            throw ApiException.notFound("User " + id.id() + " cannot be found on the instance.");
        }
        return user;
    }

    /** Users.load_with_client(limit=1, marker="user@host", include_marker=True) finds the same name and host. */
    private boolean exists(RpcContext context, String instanceId, String name, String host) {
        GuestDataClient.Page<GuestUser> page = guest.listUsers(context, instanceId, 1, name + "@" + host, true);
        return !page.items().isEmpty() && name.equals(page.items().get(0).name())
                && host.equals(page.items().get(0).host());
    }

    private static ApiException alreadyExists(String name) {
        return ApiException.badRequest("A user with the name \"" + name + "\" already exists.");
    }

    private GuestInstances.Target load(AuthContext caller, String instanceId, String operation) {
        return instances.load(caller, instanceId, "instance:extension:" + operation);
    }

    private static void verify(GuestInstances.Target target) {
        target.requireManager(DatastoreRules.SUPPORTED_MANAGERS);
        target.requireRunning();
    }

    private static void checked(String prefix, Runnable checks) {
        try {
            checks.run();
        } catch (DatastoreRules.Invalid e) {
            throw ApiException.badRequest(prefix + e.getMessage());
        }
    }

    private static boolean truthy(JsonNode value) {
        return value != null && value.isTextual() && !value.textValue().isEmpty();
    }

    private static Iterable<String> iterable(ObjectNode node) {
        return node::fieldNames;
    }

    private static RpcContext context(AuthContext caller, String requestId) {
        return caller.toRpcContext(requestId);
    }
}
