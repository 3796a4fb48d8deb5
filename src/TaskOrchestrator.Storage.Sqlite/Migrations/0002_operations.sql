-- Operations: server processes and their heartbeats, restart history, the write probe of health
-- checks, and the lease on work in progress (which server instance holds it, until when).

CREATE TABLE server_instance (
    id                  TEXT    NOT NULL PRIMARY KEY,
    workspace_id        TEXT    NOT NULL,
    role                TEXT    NOT NULL CHECK (role IN ('supervisor', 'worker', 'standalone')),
    parent_id           TEXT,
    host                TEXT    NOT NULL,
    process_id          INTEGER NOT NULL,
    process_started_at  INTEGER NOT NULL,
    executable          TEXT    NOT NULL,
    version             TEXT    NOT NULL,
    state               TEXT    NOT NULL CHECK (state IN ('running', 'stopping', 'stopped', 'dead')),
    started_at          INTEGER NOT NULL,
    heartbeat_at        INTEGER NOT NULL,
    stopped_at          INTEGER,
    detail              TEXT
);
CREATE INDEX ix_server_instance_state ON server_instance (workspace_id, state, heartbeat_at);

CREATE TABLE restart (
    id            TEXT    NOT NULL PRIMARY KEY,
    workspace_id  TEXT    NOT NULL,
    instance_id   TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('restart', 'crash_recovery')),
    reason        TEXT    NOT NULL,
    graceful      INTEGER NOT NULL,
    requested_by  TEXT,
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    outcome       TEXT    NOT NULL CHECK (outcome IN ('in_progress', 'succeeded', 'rolled_back', 'failed')),
    from_version  TEXT,
    to_version    TEXT,
    phases_json   TEXT    NOT NULL,
    error         TEXT
);
CREATE INDEX ix_restart_started ON restart (workspace_id, started_at);

CREATE TABLE health_probe (
    workspace_id  TEXT    NOT NULL PRIMARY KEY,
    instance_id   TEXT    NOT NULL,
    probed_at     INTEGER NOT NULL
);

ALTER TABLE task ADD COLUMN holder_instance_id TEXT;
ALTER TABLE task ADD COLUMN lease_expires_at INTEGER;
CREATE INDEX ix_task_lease ON task (workspace_id, lease_expires_at) WHERE lease_expires_at IS NOT NULL;
CREATE INDEX ix_task_holder ON task (holder_instance_id) WHERE holder_instance_id IS NOT NULL;
