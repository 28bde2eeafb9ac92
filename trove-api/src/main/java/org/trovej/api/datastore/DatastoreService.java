package org.trovej.api.datastore;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.trovej.api.ApiProperties;
import org.trovej.api.error.ApiException;
import org.trovej.api.validation.Uuids;

/**
 * Datastores and versions as Trove looks them up (trove/datastore/models.py): by id, then by name; a version by
 * UUID within its datastore or by name (optionally with its version number). The HTTP status of each failure is
 * Trove's: an unknown datastore is 404, an unknown version name 400, an unknown version UUID under a datastore
 * 404 (a bare model lookup there), an unknown version UUID on its own 400.
 */
@Service
@Transactional(readOnly = true)
public class DatastoreService {

    private final DatastoreRepository datastores;
    private final DatastoreVersionRepository versions;
    private final DatastoreVersionMetadataRepository metadata;
    private final String defaultDatastore;

    public DatastoreService(DatastoreRepository datastores, DatastoreVersionRepository versions,
                            DatastoreVersionMetadataRepository metadata, ApiProperties properties) {
        this.datastores = datastores;
        this.versions = versions;
        this.metadata = metadata;
        this.defaultDatastore = properties.defaultDatastore();
    }

    /** A version with its datastore. */
    public record Resolved(Datastore datastore, DatastoreVersion version) {
    }

    public Datastore load(String idOrName) {
        return datastores.findById(idOrName).or(() -> datastores.findByName(idOrName))
                .orElseThrow(() -> ApiException.notFound("Datastore '" + idOrName + "' cannot be found."));
    }

    /** Non-admins see only datastores with an active version, and only active versions. */
    public List<Datastore> list(boolean onlyActive) {
        return onlyActive ? datastores.findWithActiveVersionOrderByName() : datastores.findAllByOrderByName();
    }

    public List<DatastoreVersion> allVersions(boolean onlyActive) {
        return onlyActive ? versions.findByActiveTrueOrderByName() : versions.findAllByOrderByName();
    }

    public List<DatastoreVersion> versionsOf(Datastore datastore, boolean onlyActive) {
        return onlyActive ? versions.findByDatastoreIdAndActiveTrueOrderByName(datastore.getId())
                : versions.findByDatastoreIdOrderByName(datastore.getId());
    }

    public DatastoreVersion loadVersion(Datastore datastore, String idOrName, String versionNumber) {
        if (Uuids.isUuidLike(idOrName)) {
            return versions.findByDatastoreIdAndId(datastore.getId(), idOrName)
                    .orElseThrow(() -> ApiException.notFound("Datastore version '" + idOrName + "' cannot be found."));
        }
        if (versionNumber != null) {
            return versions.findByDatastoreIdAndNameAndVersion(datastore.getId(), idOrName, versionNumber)
                    .orElseThrow(() -> versionNotFound(versionNumber));
        }
        List<DatastoreVersion> named = versions.findByDatastoreIdAndName(datastore.getId(), idOrName);
        if (named.isEmpty()) {
            throw versionNotFound(idOrName);
        }
        if (named.size() > 1) {
            throw ApiException.badRequest("Multiple datastore versions found for '" + idOrName + "', use an UUID "
                    + "or specify both the name and version number to be more specific.");
        }
        return named.get(0);
    }

    public DatastoreVersion loadVersionByUuid(String uuid) {
        return versions.findById(uuid).orElseThrow(() -> versionNotFound(uuid));
    }

    /**
     * Trove's {@code get_datastore_version}: the datastore named (or the default one) and the version named (or
     * the datastore's default), which must be active.
     */
    public Resolved resolveForCreate(String type, String version, String versionNumber) {
        return resolve(type, version, versionNumber, true);
    }

    /** {@link #resolveForCreate}, optionally accepting an inactive version (Trove's {@code return_inactive}). */
    public Resolved resolve(String type, String version, String versionNumber, boolean activeOnly) {
        String name = type == null ? defaultDatastore : type;
        Datastore datastore;
        try {
            datastore = load(name);
        } catch (ApiException e) {
            if (type == null) {
                throw ApiException.badRequest("Please specify datastore. Default datastore '" + name
                        + "' cannot be found.");
            }
            throw e;
        }
        String versionId = version == null ? datastore.getDefaultVersionId() : version;
        if (versionId == null) {
            throw ApiException.badRequest("Default version for datastore '" + datastore.getName() + "' not found.");
        }
        DatastoreVersion found = loadVersion(datastore, versionId, versionNumber);
        if (activeOnly && !found.isActive()) {
            throw ApiException.badRequest("Datastore version '" + found.getName() + "' is not active.");
        }
        return new Resolved(datastore, found);
    }

    /** The versions (and their datastores) of many instances, in two queries. */
    public Map<String, Resolved> resolveAll(Collection<String> versionIds) {
        if (versionIds.isEmpty()) {
            return Map.of();
        }
        List<DatastoreVersion> found = versions.findByIdIn(versionIds);
        Map<String, Datastore> owners = datastores.findAllById(
                found.stream().map(DatastoreVersion::getDatastoreId).distinct().toList()).stream()
                .collect(Collectors.toMap(Datastore::getId, Function.identity()));
        return found.stream().filter(v -> owners.containsKey(v.getDatastoreId()))
                .collect(Collectors.toMap(DatastoreVersion::getId, v -> new Resolved(owners.get(v.getDatastoreId()), v)));
    }

    public List<String> boundFlavorIds(String versionId) {
        return metadata.boundFlavorIds(versionId);
    }

    private static ApiException versionNotFound(String version) {
        return ApiException.badRequest("Datastore version '" + version + "' cannot be found.");
    }
}
