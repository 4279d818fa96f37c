-- Overnight store on PostgreSQL, schema version 3: a task that has already run (a retried or
-- released task whose branch holds its work so far) is claimed before new work of the same
-- priority.

/* [jooq ignore start] */
DROP INDEX tasks_claim_order;
-- The next task to claim: one index probe (priority, then started before, then FIFO) over pending
-- tasks only. "started_at IS NULL" sorts false first: tasks that have run come first.
CREATE INDEX tasks_claim_order ON tasks (priority, (started_at IS NULL), seq) WHERE status = 'PENDING';
/* [jooq ignore stop] */
