-- Initial schema. Times are Unix milliseconds (UTC). Enumerations are stored by their wire names.
-- Every row carries workspace_id so that a workspace can be copied to a shared backend unchanged.

CREATE TABLE workspace (
    id          TEXT    NOT NULL PRIMARY KEY,
    root_path   TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE session (
    id                TEXT    NOT NULL PRIMARY KEY,
    workspace_id      TEXT    NOT NULL REFERENCES workspace (id),
    name              TEXT    NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('active', 'archived')),
    client_info       TEXT,
    created_at        INTEGER NOT NULL,
    last_activity_at  INTEGER NOT NULL,
    version           INTEGER NOT NULL
);
CREATE INDEX ix_session_activity ON session (workspace_id, status, last_activity_at);

-- seq is the rowid: the creation order, the full-text index's row key, and the tie-breaker of every sort.
CREATE TABLE task (
    seq              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE,
    workspace_id     TEXT    NOT NULL REFERENCES workspace (id),
    session_id       TEXT    REFERENCES session (id),
    parent_id        TEXT    REFERENCES task (id),
    title            TEXT    NOT NULL,
    description      TEXT,
    task_type        TEXT    NOT NULL,
    specialist_type  TEXT    NOT NULL,
    complexity       TEXT    NOT NULL,
    complexity_rank  INTEGER NOT NULL,
    priority         TEXT    NOT NULL,
    priority_rank    INTEGER NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'in_progress', 'blocked', 'completed', 'failed', 'cancelled', 'archived')),
    version          INTEGER NOT NULL,
    context_json     TEXT,
    estimated_effort TEXT,
    due_at           INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    started_at       INTEGER,
    completed_at     INTEGER,
    assigned_agent   TEXT,
    status_reason    TEXT,
    result_summary   TEXT
);
-- Hand-out order within a status: highest priority, then lowest complexity, then oldest.
CREATE INDEX ix_task_status_order ON task (workspace_id, status, priority_rank DESC, complexity_rank, seq);
CREATE INDEX ix_task_parent ON task (parent_id, seq) WHERE parent_id IS NOT NULL;
CREATE INDEX ix_task_session ON task (session_id, seq) WHERE session_id IS NOT NULL;
CREATE INDEX ix_task_created ON task (workspace_id, created_at);
CREATE INDEX ix_task_updated ON task (workspace_id, status, updated_at);
CREATE INDEX ix_task_specialist ON task (workspace_id, specialist_type, status);

CREATE VIRTUAL TABLE task_fts USING fts5 (
    title,
    description,
    content = 'task',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER task_fts_insert AFTER INSERT ON task BEGIN
    INSERT INTO task_fts (rowid, title, description) VALUES (new.seq, new.title, coalesce(new.description, ''));
END;

CREATE TRIGGER task_fts_delete AFTER DELETE ON task BEGIN
    INSERT INTO task_fts (task_fts, rowid, title, description) VALUES ('delete', old.seq, old.title, coalesce(old.description, ''));
END;

-- Only when the indexed text changes: status moves rewrite the row but leave the index alone.
CREATE TRIGGER task_fts_update AFTER UPDATE OF title, description ON task
WHEN old.title IS NOT new.title OR old.description IS NOT new.description BEGIN
    INSERT INTO task_fts (task_fts, rowid, title, description) VALUES ('delete', old.seq, old.title, coalesce(old.description, ''));
    INSERT INTO task_fts (rowid, title, description) VALUES (new.seq, new.title, coalesce(new.description, ''));
END;

CREATE TABLE dependency (
    workspace_id   TEXT    NOT NULL,
    task_id        TEXT    NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    depends_on_id  TEXT    NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL CHECK (kind IN ('hard', 'soft')),
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (task_id, depends_on_id),
    CHECK (task_id <> depends_on_id)
) WITHOUT ROWID;
CREATE INDEX ix_dependency_target ON dependency (depends_on_id, task_id);

CREATE TABLE artifact (
    seq             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    workspace_id    TEXT    NOT NULL,
    task_id         TEXT    NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    artifact_type   TEXT    NOT NULL,
    summary         TEXT    NOT NULL,
    content         TEXT    NOT NULL,
    content_hash    TEXT    NOT NULL,
    content_length  INTEGER NOT NULL,
    file_paths_json TEXT    NOT NULL,
    created_by      TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX ix_artifact_task ON artifact (task_id, seq);

-- AUTOINCREMENT: sequence numbers are never reused, so a reader resuming after N never misses or repeats.
-- No foreign key to task: the log outlives deleted tasks.
CREATE TABLE event (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    task_id       TEXT,
    session_id    TEXT,
    actor         TEXT,
    from_state    TEXT,
    to_state      TEXT,
    data_json     TEXT,
    at            INTEGER NOT NULL
);
CREATE INDEX ix_event_task ON event (task_id, seq) WHERE task_id IS NOT NULL;
CREATE INDEX ix_event_session ON event (session_id, seq) WHERE session_id IS NOT NULL;

CREATE TABLE idempotency (
    workspace_id  TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    tool          TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    result_json   TEXT    NOT NULL,
    result_text   TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, key)
) WITHOUT ROWID;
