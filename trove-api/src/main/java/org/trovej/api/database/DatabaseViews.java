package org.trovej.api.database;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.trovej.api.web.Link;

/** Trove's SchemasView: databases show their names only. */
public final class DatabaseViews {

    private DatabaseViews() {
    }

    public record DatabaseView(String name) {
    }

    /** {@code links} only when there is a next page. */
    @JsonInclude(Include.NON_NULL)
    public record DatabaseList(@JsonInclude(Include.ALWAYS) List<DatabaseView> databases, List<Link> links) {
    }
}
