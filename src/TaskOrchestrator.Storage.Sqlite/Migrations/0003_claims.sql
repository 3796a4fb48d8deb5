-- Claims (issue 4): the secret token of the current claim on a task in progress, the fencing number
-- that grows with every claim of the task (so that a holder's late write under an older claim is
-- recognised and refused), and the lease length each heartbeat renews.
ALTER TABLE task ADD COLUMN lease_token TEXT;
ALTER TABLE task ADD COLUMN lease_fence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE task ADD COLUMN lease_seconds INTEGER;
