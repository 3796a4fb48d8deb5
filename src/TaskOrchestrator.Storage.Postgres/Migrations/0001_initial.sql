-- The whole schema of the PostgreSQL backend. Times are Unix milliseconds (UTC), as in the SQLite
-- backend, so a workspace copies between the two unchanged. Enumerations are stored by their wire names.
-- Every workspace shares these tables: each key leads with workspace_id, so two workspaces may use
-- the same task, session or artifact ids without ever seeing each other's rows.

-- A workspace is identified by its canonical root folder: the same folder always opens the same
-- workspace, two folders never share one.
CREATE TABLE workspace (
    id          text   NOT NULL PRIMARY KEY,
    root_path   text   NOT NULL UNIQUE,
    created_at  bigint NOT NULL
);

CREATE TABLE session (
    workspace_id      text   NOT NULL REFERENCES workspace (id),
    id                text   NOT NULL,
    name              text   NOT NULL,
    status            text   NOT NULL CHECK (status IN ('active', 'archived')),
    client_info       text,
    created_at        bigint NOT NULL,
    last_activity_at  bigint NOT NULL,
    version           bigint NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX ix_session_activity ON session (workspace_id, status, last_activity_at);

-- seq is the creation order and the tie-breaker of every sort.
CREATE TABLE task (
    seq                 bigint  GENERATED ALWAYS AS IDENTITY,
    workspace_id        text    NOT NULL REFERENCES workspace (id),
    id                  text    NOT NULL,
    session_id          text,
    parent_id           text,
    title               text    NOT NULL,
    description         text,
    task_type           text    NOT NULL,
    specialist_type     text    NOT NULL,
    complexity          text    NOT NULL,
    complexity_rank     integer NOT NULL,
    priority            text    NOT NULL,
    priority_rank       integer NOT NULL,
    status              text    NOT NULL CHECK (status IN ('pending', 'in_progress', 'blocked', 'completed', 'failed', 'cancelled', 'archived')),
    version             bigint  NOT NULL,
    context_json        text,
    estimated_effort    text,
    due_at              bigint,
    created_at          bigint  NOT NULL,
    updated_at          bigint  NOT NULL,
    started_at          bigint,
    completed_at        bigint,
    assigned_agent      text,
    status_reason       text,
    result_summary      text,
    holder_instance_id  text,
    lease_expires_at    bigint,
    lease_token         text,
    lease_fence         bigint  NOT NULL DEFAULT 0,
    lease_seconds       integer,
    -- The searchable words of title and description: every run of letters and digits, lower-cased,
    -- which is how the SQLite backend's unicode61 tokenizer splits text, so both backends match alike.
    search              tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', regexp_replace(lower(title || ' ' || coalesce(description, '')), '[^[:alnum:]]+', ' ', 'g'))
    ) STORED,
    PRIMARY KEY (workspace_id, id),
    UNIQUE (seq),
    FOREIGN KEY (workspace_id, session_id) REFERENCES session (workspace_id, id),
    FOREIGN KEY (workspace_id, parent_id) REFERENCES task (workspace_id, id)
);
-- Hand-out order within a status: highest priority, then lowest complexity, then oldest.
CREATE INDEX ix_task_status_order ON task (workspace_id, status, priority_rank DESC, complexity_rank, seq);
CREATE INDEX ix_task_seq ON task (workspace_id, seq);
CREATE INDEX ix_task_parent ON task (workspace_id, parent_id, seq) WHERE parent_id IS NOT NULL;
CREATE INDEX ix_task_session ON task (workspace_id, session_id, seq) WHERE session_id IS NOT NULL;
CREATE INDEX ix_task_created ON task (workspace_id, created_at);
CREATE INDEX ix_task_updated ON task (workspace_id, status, updated_at);
CREATE INDEX ix_task_specialist ON task (workspace_id, specialist_type, status);
CREATE INDEX ix_task_lease ON task (workspace_id, lease_expires_at) WHERE lease_expires_at IS NOT NULL;
CREATE INDEX ix_task_holder ON task (workspace_id, holder_instance_id) WHERE holder_instance_id IS NOT NULL;
CREATE INDEX ix_task_claimed_by ON task (workspace_id, assigned_agent, lease_expires_at) WHERE lease_token IS NOT NULL;
CREATE INDEX ix_task_search ON task USING gin (search);

CREATE TABLE dependency (
    workspace_id   text   NOT NULL,
    task_id        text   NOT NULL,
    depends_on_id  text   NOT NULL,
    kind           text   NOT NULL CHECK (kind IN ('hard', 'soft')),
    created_at     bigint NOT NULL,
    PRIMARY KEY (workspace_id, task_id, depends_on_id),
    FOREIGN KEY (workspace_id, task_id) REFERENCES task (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, depends_on_id) REFERENCES task (workspace_id, id) ON DELETE CASCADE,
    CHECK (task_id <> depends_on_id)
);
CREATE INDEX ix_dependency_target ON dependency (workspace_id, depends_on_id, task_id);

CREATE TABLE artifact (
    seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    workspace_id    text   NOT NULL,
    id              text   NOT NULL,
    task_id         text   NOT NULL,
    artifact_type   text   NOT NULL,
    summary         text   NOT NULL,
    content         text   NOT NULL,
    content_hash    text   NOT NULL,
    content_length  bigint NOT NULL,
    file_paths_json text   NOT NULL,
    created_by      text,
    created_at      bigint NOT NULL,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, task_id) REFERENCES task (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX ix_artifact_task ON artifact (workspace_id, task_id, seq);

-- An identity never hands out a number twice, so a reader resuming after N never misses or repeats:
-- write units of one workspace serialize, so within a workspace numbers are assigned in commit order.
-- No foreign key to task: the log outlives deleted tasks.
CREATE TABLE event (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id  text   NOT NULL,
    kind          text   NOT NULL,
    task_id       text,
    session_id    text,
    actor         text,
    from_state    text,
    to_state      text,
    data_json     text,
    at            bigint NOT NULL
);
CREATE INDEX ix_event_workspace ON event (workspace_id, seq);
CREATE INDEX ix_event_task ON event (workspace_id, task_id, seq) WHERE task_id IS NOT NULL;
CREATE INDEX ix_event_session ON event (workspace_id, session_id, seq) WHERE session_id IS NOT NULL;

CREATE TABLE idempotency (
    workspace_id  text   NOT NULL,
    key           text   NOT NULL,
    tool          text   NOT NULL,
    request_hash  text   NOT NULL,
    result_json   text   NOT NULL,
    result_text   text   NOT NULL,
    created_at    bigint NOT NULL,
    PRIMARY KEY (workspace_id, key)
);

CREATE TABLE server_instance (
    workspace_id        text    NOT NULL,
    id                  text    NOT NULL,
    role                text    NOT NULL CHECK (role IN ('supervisor', 'worker', 'standalone')),
    parent_id           text,
    host                text    NOT NULL,
    process_id          integer NOT NULL,
    process_started_at  bigint  NOT NULL,
    executable          text    NOT NULL,
    version             text    NOT NULL,
    state               text    NOT NULL CHECK (state IN ('running', 'stopping', 'stopped', 'dead')),
    started_at          bigint  NOT NULL,
    heartbeat_at        bigint  NOT NULL,
    stopped_at          bigint,
    detail              text,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX ix_server_instance_state ON server_instance (workspace_id, state, heartbeat_at);

CREATE TABLE restart (
    workspace_id  text    NOT NULL,
    id            text    NOT NULL,
    instance_id   text    NOT NULL,
    kind          text    NOT NULL CHECK (kind IN ('restart', 'crash_recovery')),
    reason        text    NOT NULL,
    graceful      boolean NOT NULL,
    requested_by  text,
    started_at    bigint  NOT NULL,
    finished_at   bigint,
    outcome       text    NOT NULL CHECK (outcome IN ('in_progress', 'succeeded', 'rolled_back', 'failed')),
    from_version  text,
    to_version    text,
    phases_json   text    NOT NULL,
    error         text,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX ix_restart_started ON restart (workspace_id, started_at);

CREATE TABLE health_probe (
    workspace_id  text   NOT NULL PRIMARY KEY,
    instance_id   text   NOT NULL,
    probed_at     bigint NOT NULL
);

CREATE TABLE agent (
    workspace_id           text   NOT NULL,
    id                     text   NOT NULL,
    name                   text   NOT NULL,
    kind                   text   NOT NULL CHECK (kind IN ('llm', 'worker')),
    specialist_types_json  text   NOT NULL DEFAULT '[]',
    client_info            text,
    registered_at          bigint NOT NULL,
    updated_at             bigint NOT NULL,
    last_seen_at           bigint NOT NULL,
    last_heartbeat_at      bigint,
    claims                 bigint NOT NULL DEFAULT 0 CHECK (claims >= 0),
    heartbeats             bigint NOT NULL DEFAULT 0 CHECK (heartbeats >= 0),
    completed              bigint NOT NULL DEFAULT 0 CHECK (completed >= 0),
    needs_revision         bigint NOT NULL DEFAULT 0 CHECK (needs_revision >= 0),
    blocked                bigint NOT NULL DEFAULT 0 CHECK (blocked >= 0),
    failed                 bigint NOT NULL DEFAULT 0 CHECK (failed >= 0),
    released               bigint NOT NULL DEFAULT 0 CHECK (released >= 0),
    lease_expired          bigint NOT NULL DEFAULT 0 CHECK (lease_expired >= 0),
    duration_count         bigint NOT NULL DEFAULT 0 CHECK (duration_count >= 0),
    duration_total_ms      bigint NOT NULL DEFAULT 0 CHECK (duration_total_ms >= 0),
    circuit_state          text   NOT NULL DEFAULT 'closed' CHECK (circuit_state IN ('closed', 'open', 'half_open')),
    circuit_opened_at      bigint,
    circuit_retry_at       bigint,
    circuit_probe_task_id  text,
    circuit_opens          bigint NOT NULL DEFAULT 0 CHECK (circuit_opens >= 0),
    PRIMARY KEY (workspace_id, id)
);
