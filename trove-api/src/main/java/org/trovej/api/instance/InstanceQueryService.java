package org.trovej.api.instance;

import java.util.Comparator;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.trovej.api.ApiProperties;
import org.trovej.api.auth.AuthContext;
import org.trovej.api.auth.Policy;
import org.trovej.api.web.PageLimit;

/** Instance lists and the detail of one instance, straight from the records. */
@Service
@Transactional(readOnly = true)
public class InstanceQueryService {

    private final InstanceLoader loader;
    private final Policy policy;
    private final int pageSize;

    public InstanceQueryService(InstanceLoader loader, Policy policy, ApiProperties properties) {
        this.loader = loader;
        this.policy = policy;
        this.pageSize = properties.defaultPageSize();
    }

    /** One page and the marker of the next one, null when this is the last. */
    public record Page(List<InstanceViews.Loaded> items, String nextMarker) {
    }

    /**
     * The caller's own instances (admins too: other projects are the management API's business), ids ascending
     * after the marker, {@code limit} capped at the page size; the page itself newest first, as Trove shows it.
     */
    public Page list(AuthContext caller, String limit, String marker, boolean includeClustered, boolean detailed) {
        policy.enforce(caller, detailed ? "instance:detail" : "instance:index", caller.projectId());
        int size = pageLimit(limit);
        List<InstanceViews.Loaded> rows = loader.page(caller, includeClustered, marker == null ? "" : marker, size + 1,
                detailed);
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            next = rows.get(size - 1).instance().getId();
        }
        List<InstanceViews.Loaded> items = rows.stream()
                .sorted(Comparator.comparing((InstanceViews.Loaded l) -> l.instance().getCreated(),
                        Comparator.nullsLast(Comparator.naturalOrder())).reversed())
                .toList();
        return new Page(items, next);
    }

    public InstanceViews.Loaded show(AuthContext caller, String id) {
        InstanceViews.Loaded loaded = loader.detail(caller, id);
        policy.enforce(caller, "instance:show", loaded.instance().getTenantId());
        return loaded;
    }

    int pageLimit(String limit) {
        return PageLimit.of(limit, pageSize);
    }
}
