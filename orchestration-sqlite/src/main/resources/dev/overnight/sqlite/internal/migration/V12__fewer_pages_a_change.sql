-- Overnight store, schema version 12: fewer pages written by each change of a task. In WAL mode
-- every page a transaction changes is written out whole (4 KiB) and copied back at the next
-- checkpoint, and each index a change touches is at least one more page. Two pairs of indexes
-- become one index each, and the events lose their index:
-- - The claim order (pending tasks) and the leases (tasks in progress) become one index of live
--   tasks led by their status: a claim moves its task's entry within one index, mostly within one
--   page, where it wrote a page of each before. Lease recovery reads the in-progress part of it:
--   as many entries as tasks are running, each lease read from its row.
-- - The op hash of every task and the unique op hash of live tasks become one unique index on the
--   op hash and a marker that is 0 while the task is live and NULL once it is finished. SQLite
--   counts NULLs as distinct in a unique index, so the database still keeps one live task per op
--   hash and any number of finished ones, and finished work is still looked up by hash through it.
-- - A task's events were found through an index on (task, number): one more page written by every
--   event. Now each task lists the numbers of its events (tasks.event_seqs, a JSON array), which a
--   trigger appends to as each event is written: the task's row is written in that transaction
--   anyway, so the list costs no page of its own, and a task's history is read by its numbers.
-- The change is physical only: what the store reads and guarantees stays as it was, so the
-- PostgreSQL store has no version 12 (its events are stored in order of task and number).

/* [jooq ignore start] */
DROP INDEX tasks_claim_order;
DROP INDEX tasks_leases;
DROP INDEX tasks_live_op_hash;
DROP INDEX tasks_op_hash;
CREATE INDEX tasks_live ON tasks (status, priority, started_at IS NULL, seq)
  WHERE status IN ('PENDING', 'IN_PROGRESS');
CREATE UNIQUE INDEX tasks_op_hash
  ON tasks (op_hash, CASE WHEN status IN ('PENDING', 'IN_PROGRESS') THEN 0 END);

-- Read only by the store's own statements, so not among the columns it maps to tasks.
ALTER TABLE tasks ADD COLUMN event_seqs TEXT NOT NULL DEFAULT '[]';
UPDATE tasks SET event_seqs = (
  SELECT coalesce(json_group_array(seq), '[]')
  FROM (SELECT e.seq FROM task_events e WHERE e.task_id = tasks.id ORDER BY e.seq));
CREATE TRIGGER task_events_listed AFTER INSERT ON task_events
BEGIN
  UPDATE tasks SET event_seqs = json_insert(event_seqs, '$[#]', NEW.seq) WHERE id = NEW.task_id;
END;
DROP INDEX task_events_by_task;
/* [jooq ignore stop] */
