package org.trovej.api.datastore;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.error.ApiException;
import org.trovej.api.flavor.FlavorViews;
import org.trovej.api.web.Links;
import org.trovej.common.flavor.Flavor;
import org.trovej.service.flavor.FlavorCatalog;

/**
 * {@code /v1.0/{project}/datastores}: datastores and their versions. Open to every project (Trove's policy
 * rules for them are empty); admins also see inactive ones and deployment details. Not paginated.
 */
@RestController
@RequestMapping("/v1.0/{projectId}/datastores")
public class DatastoreController {

    private final DatastoreService datastores;
    private final FlavorCatalog flavors;
    private final Policy policy;

    private final ConfigurationParameterRecords parameters;

    public DatastoreController(DatastoreService datastores, FlavorCatalog flavors, Policy policy,
                               ConfigurationParameterRecords parameters) {
        this.datastores = datastores;
        this.flavors = flavors;
        this.policy = policy;
        this.parameters = parameters;
    }

    @GetMapping
    public DatastoreViews.DatastoreList index(AuthContext caller, HttpServletRequest request) {
        policy.enforce(caller, "datastore:index", caller.projectId());
        boolean onlyActive = !caller.admin();
        Map<String, List<DatastoreVersion>> versions = datastores.allVersions(onlyActive).stream()
                .collect(Collectors.groupingBy(DatastoreVersion::getDatastoreId));
        Links links = Links.of(request, caller.projectId());
        return new DatastoreViews.DatastoreList(datastores.list(onlyActive).stream()
                .map(d -> DatastoreViews.datastore(d, versions.getOrDefault(d.getId(), List.of()), links,
                        caller.admin()))
                .toList());
    }

    /** Trove lists only the active versions here, for admins too. */
    @GetMapping("/{id}")
    public DatastoreViews.DatastoreShow show(AuthContext caller, HttpServletRequest request, @PathVariable String id) {
        policy.enforce(caller, "datastore:show", caller.projectId());
        Datastore datastore = datastores.load(id);
        return new DatastoreViews.DatastoreShow(DatastoreViews.datastore(datastore,
                datastores.versionsOf(datastore, true), Links.of(request, caller.projectId()), caller.admin()));
    }

    @GetMapping("/{datastore}/versions")
    public DatastoreViews.VersionList versions(AuthContext caller, HttpServletRequest request,
                                               @PathVariable String datastore) {
        policy.enforce(caller, "datastore:version_index", caller.projectId());
        Links links = Links.of(request, caller.projectId());
        return new DatastoreViews.VersionList(datastores.versionsOf(datastores.load(datastore), !caller.admin())
                .stream().map(v -> DatastoreViews.version(v, links, caller.admin(), true)).toList());
    }

    @GetMapping("/{datastore}/versions/{id}")
    public DatastoreViews.VersionShow version(AuthContext caller, HttpServletRequest request,
                                              @PathVariable String datastore, @PathVariable String id) {
        policy.enforce(caller, "datastore:version_show", caller.projectId());
        DatastoreVersion version = datastores.loadVersion(datastores.load(datastore), id, null);
        return new DatastoreViews.VersionShow(DatastoreViews.version(version, Links.of(request, caller.projectId()),
                caller.admin(), true));
    }

    /** "/datastores/versions/versions" is a version list of a datastore named "versions" in Trove's routing. */
    @GetMapping("/versions/{uuid:(?!versions$).+}")
    public DatastoreViews.VersionShow versionByUuid(AuthContext caller, HttpServletRequest request,
                                                    @PathVariable String uuid) {
        policy.enforce(caller, "datastore:version_show_by_uuid", caller.projectId());
        return new DatastoreViews.VersionShow(DatastoreViews.version(datastores.loadVersionByUuid(uuid),
                Links.of(request, caller.projectId()), caller.admin(), true));
    }

    /**
     * The flavors a version may use: all of them unless the version is bound to some. As in Trove, neither the
     * datastore nor the version is looked up: a version that is not a bound UUID simply gets every flavor.
     */
    @GetMapping("/{datastore}/versions/{versionId}/flavors")
    public FlavorViews.FlavorList flavors(AuthContext caller, HttpServletRequest request,
                                          @PathVariable String datastore, @PathVariable String versionId) {
        policy.enforce(caller, "datastore:list_associated_flavors", caller.projectId());
        List<String> bound = datastores.boundFlavorIds(versionId);
        List<Flavor> allowed = bound.isEmpty() ? flavors.list()
                : flavors.list().stream().filter(f -> bound.contains(f.id())).toList();
        return FlavorViews.list(allowed, Links.of(request, caller.projectId()));
    }

    /** The configuration parameters a version accepts (Trove's ConfigurationParametersController; inactive too). */
    @GetMapping("/{datastore}/versions/{version}/parameters")
    public Map<String, List<Map<String, Object>>> parameters(AuthContext caller, @PathVariable String datastore,
                                                             @PathVariable String version) {
        policy.enforce(caller, "configuration-parameter:index", caller.projectId());
        DatastoreVersion found = datastores.loadVersion(datastores.load(datastore), version, null);
        return ParameterViews.list(parameters.list(found.getId()), false);
    }

    @GetMapping("/{datastore}/versions/{version}/parameters/{name}")
    public Map<String, Object> parameter(AuthContext caller, @PathVariable String datastore,
                                         @PathVariable String version, @PathVariable String name) {
        policy.enforce(caller, "configuration-parameter:show", caller.projectId());
        DatastoreVersion found = datastores.loadVersion(datastores.load(datastore), version, null);
        return ParameterViews.view(parameter(found.getId(), name), false);
    }

    @GetMapping("/versions/{uuid}/parameters")
    public Map<String, List<Map<String, Object>>> parametersByVersion(AuthContext caller, @PathVariable String uuid) {
        policy.enforce(caller, "configuration-parameter:index_by_version", caller.projectId());
        return ParameterViews.list(parameters.list(datastores.loadVersionByUuid(uuid).getId()), false);
    }

    @GetMapping("/versions/{uuid}/parameters/{name}")
    public Map<String, Object> parameterByVersion(AuthContext caller, @PathVariable String uuid,
                                                  @PathVariable String name) {
        policy.enforce(caller, "configuration-parameter:show_by_version", caller.projectId());
        return ParameterViews.view(parameter(datastores.loadVersionByUuid(uuid).getId(), name), false);
    }

    private ConfigurationParameterRecords.ConfigurationParameter parameter(String versionId, String name) {
        return parameters.find(versionId, name).orElseThrow(() -> ApiException.resourceNotFound(name));
    }
}
