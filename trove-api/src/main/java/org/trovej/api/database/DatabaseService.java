package org.trovej.api.database;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.trovej.api.ApiProperties;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.error.ApiException;
import org.trovej.api.guest.DatastoreRules;
import org.trovej.api.guest.GuestDataClient;
import org.trovej.common.guest.GuestSchema;
import org.trovej.api.instance.GuestInstances;
import org.trovej.api.validation.AccountSchemas;
import org.trovej.api.web.PageLimit;
import org.trovej.common.rpc.RpcContext;

/**
 * An instance's databases (Trove's SchemaController and Schema/Schemas models): names are checked with the
 * datastore's rules before anything is sent, a name that exists already is refused after asking the guest (as
 * Trove does), and the guest is called for the rest. No transaction is held across guest calls: the instance is
 * read and checked first ({@link GuestInstances}).
 */
@Service
public class DatabaseService {

    private static final Logger log = LoggerFactory.getLogger(DatabaseService.class);

    private final GuestInstances instances;
    private final GuestDataClient guest;
    private final int pageSize;

    public DatabaseService(GuestInstances instances, GuestDataClient guest, ApiProperties properties) {
        this.instances = instances;
        this.guest = guest;
        this.pageSize = properties.databasesPageSize();
    }

    /** A page of names and the marker of the next page (null on the last). */
    public record Page(List<String> names, String nextMarker) {
    }

    public Page list(AuthContext caller, String instanceId, String limit, String marker, String requestId) {
        GuestInstances.Target target = instances.load(caller, instanceId, "instance:extension:database:index");
        verify(target);
        int size = PageLimit.of(limit, pageSize);
        GuestDataClient.Page<GuestSchema> page = guest.listDatabases(context(caller, requestId), target.id(), size,
                marker, false);
        DatastoreRules rules = DatastoreRules.of(target.manager());
        List<String> names = page.items().stream().map(GuestSchema::name).filter(n -> !rules.hiddenDb(n)).toList();
        return new Page(names, page.nextMarker());
    }

    /** Trove's create: schema, datastore name rules, then on the guest a duplicate check and create_database. */
    public void create(AuthContext caller, String instanceId, JsonNode body, String requestId) {
        AccountSchemas.body(body, "databases", AccountSchemas::databasesDef).throwIfAny();
        GuestInstances.Target target = instances.load(caller, instanceId, "instance:extension:database:create");
        List<GuestSchema> schemas = validated(DatastoreRules.of(target.manager()), body.get("databases"));
        verify(target);
        RpcContext context = context(caller, requestId);
        for (GuestSchema schema : schemas) {
            if (exists(context, target.id(), schema.name())) {
                throw ApiException.badRequest("A database with the name \"" + schema.name() + "\" already exists.");
            }
        }
        guest.createDatabases(context, target.id(), schemas);
        log.info("Databases {} created on instance {}", schemas.stream().map(GuestSchema::name).toList(), target.id());
    }

    public void delete(AuthContext caller, String instanceId, String name, String requestId) {
        GuestInstances.Target target = instances.load(caller, instanceId, "instance:extension:database:delete");
        DatastoreRules rules = DatastoreRules.of(target.manager());
        try {
            rules.checkSchemaName(name);
            try {
                rules.checkReservedDb(name);
            } catch (DatastoreRules.Invalid e) {
                throw new DatastoreRules.Invalid("Cannot delete database: " + e.getMessage());
            }
        } catch (DatastoreRules.Invalid e) {
            throw ApiException.badRequest("Database delete error: " + e.getMessage());
        }
        verify(target);
        RpcContext context = context(caller, requestId);
        if (!exists(context, target.id(), name)) {
            throw ApiException.notFound("Database " + name + " cannot be found on the instance.");
        }
        guest.deleteDatabase(context, target.id(), GuestSchema.named(name));
        log.info("Database {} deleted on instance {}", name, target.id());
    }

    /** Showing one database is not implemented by Trove either: 501 after the instance lookup. */
    public void show(AuthContext caller, String instanceId) {
        instances.load(caller, instanceId, "instance:extension:database:show");
        throw ApiException.notImplemented("The server has either erred or is incapable of performing the requested "
                + "operation.");
    }

    /** Trove's populate_validated_databases with the datastore's model: name, reserved, unique, charset/collate. */
    static List<GuestSchema> validated(DatastoreRules rules, JsonNode databases) {
        List<GuestSchema> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            for (JsonNode db : databases) {
                String name = db.get("name").textValue();
                rules.checkSchemaName(name);
                rules.checkReservedDb(name);
                if (!seen.add(name)) {
                    throw ApiException.badRequest("Two or more databases share the same name in the initial "
                            + "databases list. Please correct the names or remove the duplicate entries.");
                }
                out.add(rules.schema(name, text(db.get("character_set")), text(db.get("collate"))));
            }
        } catch (DatastoreRules.Invalid e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return out;
    }

    /** Trove's Schemas.find: a one-item page starting at the name. */
    private boolean exists(RpcContext context, String instanceId, String name) {
        GuestDataClient.Page<GuestSchema> page = guest.listDatabases(context, instanceId, 1, name, true);
        return !page.items().isEmpty() && name.equals(page.items().get(0).name());
    }

    private static void verify(GuestInstances.Target target) {
        target.requireManager(DatastoreRules.SUPPORTED_MANAGERS);
        target.requireRunning();
    }

    private static RpcContext context(AuthContext caller, String requestId) {
        return caller.toRpcContext(requestId);
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }
}
