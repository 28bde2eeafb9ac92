package org.trovej.service.pitr;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.trovej.common.pitr.PointInTime;

/**
 * Point-in-time restore's reading of the control plane (beyond Trove): an instance's restorable window and the
 * plan for a moment in it, from its shipped log ({@code log_shipments}, written by the conductor) and its backups'
 * {@code log_position}s. The API shows the window and refuses a moment outside it; the task manager builds the
 * restore from the plan. One reading for both, so that what the API accepts is what the task manager restores.
 * <p>
 * Only the current run of shipments counts: one that came after a gap in the log starts a new run, and no restore
 * crosses a gap. A backup is a base when its log position is inside the run; the window starts at the oldest
 * base's end ({@code updated}, when it was reported COMPLETED, after its consistent point) and ends where the run
 * is restorable until.
 */
public class RestorePoints {

    private final JdbcTemplate jdbc;

    public RestorePoints(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One row of the current run. */
    private record Shipment(long id, String location, String checksum, String first, String last, Instant cutAt,
                            Instant restorableUntil) {
    }

    /** A backup the run continues. */
    private record Base(String id, String logPosition, Instant ended) {
    }

    /** The window, if the instance has shipped log and a backup it continues. */
    public Optional<RestoreWindow> window(String instanceId) {
        List<Shipment> run = run(instanceId);
        List<Base> bases = bases(instanceId, run);
        if (bases.isEmpty()) {
            return Optional.empty();
        }
        Instant latest = run.stream().map(Shipment::restorableUntil).max(Comparator.naturalOrder()).orElseThrow();
        Instant earliest = bases.get(0).ended();
        return earliest.isAfter(latest) ? Optional.empty() : Optional.of(new RestoreWindow(earliest, latest));
    }

    /** The plan for {@code moment}, empty when it lies outside the window. */
    public Optional<RestorePlan> plan(String instanceId, Instant moment) {
        List<Shipment> run = run(instanceId);
        Base base = null;
        for (Base candidate : bases(instanceId, run)) {
            if (!candidate.ended().isAfter(moment)) {
                base = candidate;
            }
        }
        if (base == null) {
            return Optional.empty();
        }
        List<PointInTime.LogObject> logs = new ArrayList<>();
        String covered = null;
        for (Shipment shipment : run) {
            if (shipment.last().compareTo(base.logPosition()) < 0
                    || (covered != null && shipment.last().compareTo(covered) <= 0)) {
                continue;
            }
            logs.add(new PointInTime.LogObject(shipment.location(), shipment.checksum()));
            covered = shipment.last();
            if (!shipment.restorableUntil().isBefore(moment)) {
                // after the cut nothing was written: the end of the shipped log is the database at that moment
                Instant stopAt = moment.isAfter(shipment.cutAt()) ? null : moment;
                return Optional.of(new RestorePlan(base.id(), new PointInTime(stopAt, logs)));
            }
        }
        return Optional.empty();
    }

    private List<Shipment> run(String instanceId) {
        return jdbc.query("SELECT id, location, checksum, first_position, last_position, cut_at, restorable_until "
                + "FROM log_shipments WHERE instance_id = ? AND deleted = false AND id >= (SELECT coalesce(max(id), 0) "
                + "FROM log_shipments WHERE instance_id = ? AND deleted = false AND after_gap) ORDER BY id",
                (rs, n) -> new Shipment(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), instant(rs, 6), instant(rs, 7)), instanceId, instanceId);
    }

    /** The live completed backups whose log position the run covers, oldest end first. */
    private List<Base> bases(String instanceId, List<Shipment> run) {
        if (run.isEmpty()) {
            return List.of();
        }
        String first = run.stream().map(Shipment::first).min(Comparator.naturalOrder()).orElseThrow();
        String last = run.stream().map(Shipment::last).max(Comparator.naturalOrder()).orElseThrow();
        return jdbc.query("SELECT id, log_position, updated FROM backups WHERE instance_id = ? AND deleted = false "
                + "AND state = 'COMPLETED' AND log_position IS NOT NULL AND log_position >= ? AND log_position <= ? "
                + "ORDER BY updated, id", (rs, n) -> new Base(rs.getString(1), rs.getString(2), instant(rs, 3)),
                instanceId, first, last);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
}
