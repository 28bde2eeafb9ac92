-- TroveJ (beyond Trove): point-in-time restore. Guests ship their transaction log (PostgreSQL's WAL) beside the
-- backups, one object per turn, and the conductor records each here (log_shipped). A backup's log_position is where
-- the log continues after it (PostgreSQL: its stop WAL file): a restore to a moment takes the newest backup that
-- ended before it, then every shipment from that position on up to the moment. Positions of one instance compare
-- as text (WAL segment names are fixed-width hex).
ALTER TABLE backups ADD COLUMN log_position varchar(64);

CREATE TABLE log_shipments (
    id                bigserial    PRIMARY KEY,
    instance_id       varchar(36)  NOT NULL,
    tenant_id         varchar(64),
    location          text         NOT NULL,  -- <swift_url>/<container>/<object>
    checksum          varchar(64),             -- MD5 of the stored bytes
    first_position    varchar(64)  NOT NULL,   -- first log file in the object
    last_position     varchar(64)  NOT NULL,   -- last log file in the object
    cut_at            timestamp    NOT NULL,   -- every commit before it is in this object or earlier ones, and
                                               -- the object holds a commit after it (UTC)
    restorable_until  timestamp    NOT NULL,   -- nothing was written from cut_at to this (idle turns move it on)
    size              bigint       NOT NULL,   -- stored bytes
    after_gap         boolean      NOT NULL,   -- log between the previous object and this one is lost
    created           timestamp    NOT NULL,
    deleted           boolean      NOT NULL DEFAULT false
);
CREATE INDEX log_shipments_instance_idx ON log_shipments (instance_id, deleted, id);
