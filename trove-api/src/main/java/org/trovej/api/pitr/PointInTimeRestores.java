package org.trovej.api.pitr;

import java.time.Instant;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.trovej.api.backup.Backup;
import org.trovej.api.error.ApiException;
import org.trovej.service.pitr.RestorePlan;
import org.trovej.service.pitr.RestorePoints;

/**
 * Point-in-time restore in the API (beyond Trove): the window an instance's detail view shows, and the check of a
 * create's {@code restorePoint.restoreTime}, both read through the {@link RestorePoints} the task manager restores
 * with. The caller's right to the instance was checked by the instance or backup feature before.
 */
@Service
public class PointInTimeRestores {

    private final RestorePoints points;

    PointInTimeRestores(RestorePoints points) {
        this.points = points;
    }

    /** The instance's window for its detail view, if it has one. */
    public Optional<RestoreWindowView> of(String instanceId) {
        return points.window(instanceId).map(RestoreWindowView::of);
    }

    /**
     * The backup a restore of {@code named}'s instance to {@code moment} starts from; a 400 saying what the window
     * is when the moment is outside it (or that there is none).
     */
    public String requireRestorable(Backup named, Instant moment) {
        String instanceId = named.getInstanceId();
        if (instanceId == null) {
            throw ApiException.badRequest("Backup " + named.getId() + " belongs to no instance, so there is no "
                    + "shipped log to restore to " + RestoreTimes.show(moment) + " from.");
        }
        return points.plan(instanceId, moment).map(RestorePlan::baseBackupId).orElseThrow(() -> ApiException
                .badRequest(points.window(instanceId)
                        .map(window -> "The restore time " + RestoreTimes.show(moment) + " is outside the restorable "
                                + "window of instance " + instanceId + ": " + RestoreTimes.ceiling(window.earliest())
                                + " to " + RestoreTimes.floor(window.latest()) + " (UTC).")
                        .orElse("Instance " + instanceId + " has no restorable window: it needs a completed backup "
                                + "and its log shipped since (PostgreSQL and MariaDB instances of the local back end).")));
    }
}
