-- TroveJ: the space used on the instance's volume, in GB (Trove's figure: what its guest's get_filesystem_stats
-- calls "used"), as the guest's newest heartbeat reported it in its payload ("volume_used"; Trove's conductor
-- ignores the key). The API's show reads it here instead of calling the guest, and the conductor exports it as a
-- per-instance gauge. NULL until a guest reports it (a Trove guest never does).
ALTER TABLE service_statuses ADD COLUMN volume_used double precision;
