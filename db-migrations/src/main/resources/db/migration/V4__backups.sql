-- TroveJ: why a backup FAILED (or could not be deleted), in words a user can act on: the guest's own error, a
-- guest that died or stopped reporting during the backup, or a backup that ran past trovej.backup.timeout.
-- Trove keeps no such column; the API shows it only where Trove's views leave room for it.

ALTER TABLE backups ADD COLUMN failure_reason text;
