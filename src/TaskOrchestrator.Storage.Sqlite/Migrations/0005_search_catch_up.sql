-- The full-text index is no longer written inside the commit that creates a task: its pages were
-- about a third of the log frames each plan_task fsyncs (docs/PERFORMANCE.md). Tasks past
-- indexed_through are indexed after their commit, in batches, and always before a search reads the
-- index (SqliteSearchIndex). Edits and deletes of tasks already indexed still change the index in
-- their own commit; those of tasks not yet indexed leave it alone, since the batch reads their text as
-- it is then. Every task that exists now is indexed.
CREATE TABLE search_index (
    id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    indexed_through  INTEGER NOT NULL
);
INSERT INTO search_index (id, indexed_through) VALUES (1, coalesce((SELECT max(seq) FROM task), 0));

DROP TRIGGER task_fts_insert;
DROP TRIGGER task_fts_delete;
DROP TRIGGER task_fts_update;

-- SQLite gives a new row the highest rowid plus one, so after the newest tasks are deleted a new
-- task can get a number at or below the mark, which the batches never reach: it is indexed at once.
CREATE TRIGGER task_fts_insert AFTER INSERT ON task
WHEN new.seq <= (SELECT indexed_through FROM search_index) BEGIN
    INSERT INTO task_fts (rowid, title, description) VALUES (new.seq, new.title, coalesce(new.description, ''));
END;

CREATE TRIGGER task_fts_delete AFTER DELETE ON task
WHEN old.seq <= (SELECT indexed_through FROM search_index) BEGIN
    INSERT INTO task_fts (task_fts, rowid, title, description) VALUES ('delete', old.seq, old.title, coalesce(old.description, ''));
END;

-- Only when the indexed text changes: status moves rewrite the row but leave the index alone.
CREATE TRIGGER task_fts_update AFTER UPDATE OF title, description ON task
WHEN (old.title IS NOT new.title OR old.description IS NOT new.description)
    AND old.seq <= (SELECT indexed_through FROM search_index) BEGIN
    INSERT INTO task_fts (task_fts, rowid, title, description) VALUES ('delete', old.seq, old.title, coalesce(old.description, ''));
    INSERT INTO task_fts (rowid, title, description) VALUES (new.seq, new.title, coalesce(new.description, ''));
END;
