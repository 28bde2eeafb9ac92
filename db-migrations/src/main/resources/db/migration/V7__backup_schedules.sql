-- TroveJ (beyond Trove): scheduled backups with retention. One schedule per instance, set through the API's
-- extension (PUT /instances/{id}/backup_schedule) and run by the task managers: a slot is claimed by moving
-- next_slot on in one conditional update, so of several task managers exactly one runs it, and a slot that came
-- while no task manager ran is run once when one is back. Times are UTC; timezone is the one the cron reads in.
CREATE TABLE backup_schedules (
    instance_id     varchar(36)  PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
    tenant_id       varchar(64)  NOT NULL,
    cron            varchar(255) NOT NULL,
    timezone        varchar(64)  NOT NULL,
    keep_count      integer,                 -- the newest N completed scheduled backups are kept
    keep_days       integer,                 -- scheduled backups younger than N days are kept
    full_every      integer      NOT NULL DEFAULT 1,  -- every Nth scheduled backup is full, the others incremental
    next_slot       timestamp    NOT NULL,
    last_slot       timestamp,
    last_backup_id  varchar(36),
    last_error      text,                    -- why the last slot made no backup, or its backup failed
    created         timestamp    NOT NULL,
    updated         timestamp    NOT NULL
);
CREATE INDEX backup_schedules_next_slot_idx ON backup_schedules (next_slot);

-- The slot a scheduled backup was made for (NULL for every other backup): retention only ever deletes these, and
-- one slot can make one backup only.
ALTER TABLE backups ADD COLUMN schedule_slot timestamp;
CREATE UNIQUE INDEX backups_schedule_slot_uq ON backups (instance_id, schedule_slot) WHERE schedule_slot IS NOT NULL;
