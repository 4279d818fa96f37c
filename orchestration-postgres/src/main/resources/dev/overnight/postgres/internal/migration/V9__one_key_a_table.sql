-- Overnight store on PostgreSQL, schema version 9: fewer index entries written per job. Every
-- status change of a task is a new row version, and every row version goes into each index whose
-- predicate it meets; so an index that only duplicates another costs on each of a task's three
-- writes. Physical only (keys and indexes): the tables and columns stay those of the SQLite store.

/* [jooq ignore start] */
-- A task is found by its id; its seq orders claims, inside the claim-order index, and lists, which
-- sort. One key on the id serves both lookups the two keys served.
ALTER TABLE tasks DROP CONSTRAINT tasks_pkey;
ALTER TABLE tasks DROP CONSTRAINT tasks_id_key;
ALTER TABLE tasks ADD CONSTRAINT tasks_pkey PRIMARY KEY (id);

-- The op hash of a live task is in the unique live-op-hash index already; finished tasks are the
-- only ones this index must add, once each, when they finish.
DROP INDEX tasks_op_hash;
CREATE INDEX tasks_finished_op_hash ON tasks (op_hash)
  WHERE status IN ('COMPLETED', 'FAILED', 'CANCELLED');

-- A task's events are read by task, in order; nothing looks an event up by its seq alone. One key
-- on (task, seq) serves as both, and as the replica identity purge's deletes need.
ALTER TABLE task_events DROP CONSTRAINT task_events_pkey;
DROP INDEX task_events_by_task;
ALTER TABLE task_events ADD CONSTRAINT task_events_pkey PRIMARY KEY (task_id, seq);
/* [jooq ignore stop] */
