package org.trovej.api.versions;

import java.util.List;

/** {@code {"versions": [...]}}; component order is the key order Trove writes. */
public record VersionsDocument(List<Version> versions) {

    public record Version(String id, String status, String updated, List<Link> links) {
    }

    public record Link(String rel, String href) {
    }
}
