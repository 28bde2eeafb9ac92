package org.trovej.api.backup;

/** How many live backups a project has. */
public record ProjectBackups(String tenantId, long backups) {
}
