package org.trovej.service.quota;

/** One row of {@code GET /mgmt/quotas/{project}}: what a project uses, has reserved, and may use. */
public record QuotaUsage(String resource, int inUse, int reserved, int limit) {
}
