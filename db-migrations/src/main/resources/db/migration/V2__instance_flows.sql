-- TroveJ: the task manager's provisioning flows as persisted state machines, and the local back end's
-- address ordinals.
--
-- A flow (create, delete, restart, resize_flavor, resize_volume) records on its instance the step it is at,
-- so that a task manager that restarts resumes it (the request message comes back from the broker) or
-- times it out; nothing stays in BUILD silently. No secret is ever stored here: the passwords of a create
-- request only travel in its message.

ALTER TABLE instances
    ADD COLUMN flow_name         varchar(32),   -- NULL: no flow in progress
    ADD COLUMN flow_step         varchar(64),   -- the step being run (re-run on resume: steps are idempotent)
    ADD COLUMN flow_data         jsonb,         -- non-secret inputs and results of finished steps
    ADD COLUMN flow_started      timestamp,
    ADD COLUMN flow_deadline     timestamp,     -- a build not done by then fails (task 0x5b)
    -- The task manager process running the flow and until when that claim holds; a flow whose lease has
    -- run out (its task manager died) may be taken over.
    ADD COLUMN flow_owner        varchar(128),
    ADD COLUMN flow_lease_until  timestamp;

-- The watchdog's scans: flows in progress, and builds that never got a flow (their message was lost).
CREATE INDEX instances_flow_idx ON instances (flow_name, flow_step) WHERE flow_name IS NOT NULL;
CREATE INDEX instances_building_idx ON instances (created) WHERE task_id = 5 AND NOT deleted;

-- Ordinals of the local back end's per-instance loopback addresses (127.x.y.z).
CREATE SEQUENCE local_address_seq START WITH 1;
