package org.trovej.api.instance;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface InstanceRepository extends JpaRepository<Instance, String> {

    Optional<Instance> findByIdAndDeletedFalse(String id);

    boolean existsByDatastoreVersionIdAndDeletedFalse(String datastoreVersionId);

    /** The row, locked until the transaction ends: the check of its state and the change happen as one. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select i from Instance i where i.id = :id and i.deleted = false")
    Optional<Instance> lockById(@Param("id") String id);

    /** The counts every view row selects: running backups (NEW, BUILDING or SAVING) and replicas. */
    String VIEW_COUNTS = "(select count(b.id) from Backup b where b.instanceId = i.id and b.deleted = false "
            + "and b.state in ('NEW', 'BUILDING', 'SAVING')), "
            + "(select count(r.id) from Instance r where r.slaveOfId = i.id and r.deleted = false "
            + "and r.tenantId = i.tenantId)";
    String VIEW_JOINS = " from Instance i join InstanceServiceStatus s on s.instanceId = i.id "
            + "left join DatastoreVersion v on v.id = i.datastoreVersionId left join Datastore d on d.id = v.datastoreId ";
    /** A list's view row: an instance with its status, version, datastore and counts. */
    String LIST_ROW = "select new org.trovej.api.instance.InstanceViewRow(i, s, v, d, " + VIEW_COUNTS + ")"
            + VIEW_JOINS;
    /** A detail row: a list's view row with the instance's newest fault. */
    String DETAIL = "select new org.trovej.api.instance.InstanceViewRow(i, s, v, d, f, " + VIEW_COUNTS + ")"
            + VIEW_JOINS + "left join InstanceFault f on f.instanceId = i.id and f.deleted = false and f.updated = "
            + "(select max(g.updated) from InstanceFault g where g.instanceId = i.id and g.deleted = false) ";

    /**
     * One page of a project's list with what its views need, in one query: ids ascending after the marker, as
     * Trove pages. An instance without a service status row is left out, as Trove skips it.
     */
    @Query(LIST_ROW + "where i.tenantId = :tenantId and i.deleted = false "
            + "and (:includeClustered = true or i.clusterId is null) and i.id > :marker order by i.id")
    List<InstanceViewRow> page(@Param("tenantId") String tenantId, @Param("includeClustered") boolean includeClustered,
                               @Param("marker") String marker, Limit limit);

    /**
     * A page of the management list: every project (or one), deleted or not (or either), ids ascending after the
     * marker.
     */
    @Query(LIST_ROW + "where (:tenantId is null or i.tenantId = :tenantId) "
            + "and (:deleted is null or i.deleted = :deleted) "
            + "and (:includeClustered = true or i.clusterId is null) and i.id > :marker order by i.id")
    List<InstanceViewRow> mgmtPage(@Param("tenantId") String tenantId, @Param("deleted") Boolean deleted,
                                   @Param("includeClustered") boolean includeClustered, @Param("marker") String marker,
                                   Limit limit);

    /** One instance with what its detail view needs, including its newest fault, in one query. */
    @Query(DETAIL + "where i.id = :id and i.deleted = false")
    List<InstanceViewRow> detailRow(@Param("id") String id, Limit limit);

    /** As {@link #detailRow}, deleted or not (the management API's show with {@code deleted=true}). */
    @Query(DETAIL + "where i.id = :id")
    List<InstanceViewRow> anyDetailRow(@Param("id") String id, Limit limit);

    /** Every project's live instances by flavor, with their volumes' GB. */
    @Query("select new org.trovej.api.instance.InstanceUsage(i.tenantId, i.flavorId, count(i), "
            + "coalesce(sum(i.volumeSize), 0L)) from Instance i where i.deleted = false and i.tenantId is not null "
            + "group by i.tenantId, i.flavorId")
    List<InstanceUsage> liveUsageByProjectAndFlavor();

    /** The replicas of these instances (Trove's "slaves"); the caller keeps those of the owner's project. */
    @Query("select i from Instance i where i.slaveOfId in :ids and i.deleted = false order by i.id")
    List<Instance> replicasOf(@Param("ids") Collection<String> ids);

    /** How many live instances have the group attached (of one project, unless {@code tenantId} is null). */
    @Query("select count(i) from Instance i where i.configurationId = :configurationId and i.deleted = false "
            + "and (:tenantId is null or i.tenantId = :tenantId)")
    long countWithConfiguration(@Param("configurationId") String configurationId, @Param("tenantId") String tenantId);

    /** A page of them, ids ascending after the marker. */
    @Query("select i from Instance i where i.configurationId = :configurationId and i.deleted = false "
            + "and (:tenantId is null or i.tenantId = :tenantId) and i.id > :marker order by i.id")
    List<Instance> withConfiguration(@Param("configurationId") String configurationId,
                                     @Param("tenantId") String tenantId, @Param("marker") String marker, Limit limit);

    /**
     * The live instances that have a server, of one project (or, {@code tenantId} null, of all): the servers of
     * TroveJ's compute API on the local back end, newest first as Nova lists them.
     */
    @Query("select i from Instance i where i.deleted = false and i.computeInstanceId is not null "
            + "and (:tenantId is null or i.tenantId = :tenantId) order by i.created desc, i.id desc")
    List<Instance> withServers(@Param("tenantId") String tenantId);

    /**
     * The instances with a server that existed at some moment of [{@code start}, {@code end}), deleted since or not,
     * of one project (or, {@code tenantId} null, of all), oldest first: the compute API's usage report.
     */
    @Query("select i from Instance i where i.computeInstanceId is not null and i.created < :end "
            + "and (i.deleted = false or i.deletedAt is null or i.deletedAt > :start) "
            + "and (:tenantId is null or i.tenantId = :tenantId) order by i.created, i.id")
    List<Instance> withServersBetween(@Param("tenantId") String tenantId, @Param("start") LocalDateTime start,
                                      @Param("end") LocalDateTime end);

    /** The live instance whose server this is. */
    Optional<Instance> findFirstByComputeInstanceIdAndDeletedFalse(String computeInstanceId);
}
