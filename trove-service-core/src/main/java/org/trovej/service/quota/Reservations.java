package org.trovej.service.quota;

import java.util.List;

/**
 * What {@link QuotaService#reserve} set aside: one reservation row per resource. Committed when the operation is
 * accepted, rolled back when it fails; either happens at most once per row.
 */
public record Reservations(String tenantId, List<String> ids) {

    public Reservations {
        ids = List.copyOf(ids);
    }
}
