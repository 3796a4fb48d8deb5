-- Agents (issue 4): who takes work in a workspace, what their claims came to, and their claim
-- circuit. Counters are plain counts; durations a count and a sum of milliseconds, so averages stay
-- exact. The risk score is not stored: it is a pure function of the counters.
CREATE TABLE agent (
    workspace_id           TEXT    NOT NULL,
    id                     TEXT    NOT NULL,
    name                   TEXT    NOT NULL,
    kind                   TEXT    NOT NULL CHECK (kind IN ('llm', 'worker')),
    specialist_types_json  TEXT    NOT NULL DEFAULT '[]',
    client_info            TEXT,
    registered_at          INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    last_seen_at           INTEGER NOT NULL,
    last_heartbeat_at      INTEGER,
    claims                 INTEGER NOT NULL DEFAULT 0 CHECK (claims >= 0),
    heartbeats             INTEGER NOT NULL DEFAULT 0 CHECK (heartbeats >= 0),
    completed              INTEGER NOT NULL DEFAULT 0 CHECK (completed >= 0),
    needs_revision         INTEGER NOT NULL DEFAULT 0 CHECK (needs_revision >= 0),
    blocked                INTEGER NOT NULL DEFAULT 0 CHECK (blocked >= 0),
    failed                 INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
    released               INTEGER NOT NULL DEFAULT 0 CHECK (released >= 0),
    lease_expired          INTEGER NOT NULL DEFAULT 0 CHECK (lease_expired >= 0),
    duration_count         INTEGER NOT NULL DEFAULT 0 CHECK (duration_count >= 0),
    duration_total_ms      INTEGER NOT NULL DEFAULT 0 CHECK (duration_total_ms >= 0),
    circuit_state          TEXT    NOT NULL DEFAULT 'closed' CHECK (circuit_state IN ('closed', 'open', 'half_open')),
    circuit_opened_at      INTEGER,
    circuit_retry_at       INTEGER,
    circuit_probe_task_id  TEXT,
    circuit_opens          INTEGER NOT NULL DEFAULT 0 CHECK (circuit_opens >= 0),
    PRIMARY KEY (workspace_id, id)
);

-- The claims an agent holds, for agent status.
CREATE INDEX ix_task_claimed_by ON task (workspace_id, assigned_agent, lease_expires_at) WHERE lease_token IS NOT NULL;
