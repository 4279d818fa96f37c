-- Overnight store on PostgreSQL, schema version 8: less written per job on the hot path (enqueue,
-- claim, complete), as in the SQLite store's version 8. Every status change writes a new row
-- version into every index whose predicate it meets, so an index the hot path never reads costs on
-- each of a task's three writes; and every event checked its task through a foreign key.

/* [jooq ignore start] */
-- The label index serves "which pending tasks need label x": only pending rows go into it now, so
-- a claim and a completion no longer add GIN entries for rows no one looks up by label.
DROP INDEX tasks_required_labels;
CREATE INDEX tasks_required_labels ON tasks USING GIN (required_labels) WHERE status = 'PENDING';

-- An event is written by the same statement as its task's change, and purged with its task by the
-- same statement, so the foreign key's check on every event (a lookup and a row lock on the task)
-- guards nothing those statements do not already keep.
ALTER TABLE task_events DROP CONSTRAINT task_events_task_id_fkey;
/* [jooq ignore stop] */
