-- Overnight store, schema version 12: fewer pages written by each change of a task. In WAL mode
-- every page a transaction changes is written out whole (4 KiB) and copied back at the next
-- checkpoint, and each index a change touches is at least one more page. Two pairs of indexes
-- served one purpose each and are now one index each:
-- - The claim order (pending tasks) and the leases (tasks in progress) become one index of live
--   tasks led by their status: a claim moves its task's entry within one index, mostly within one
--   page, where it wrote a page of each before. Lease recovery reads the in-progress part of it:
--   as many entries as tasks are running, each lease read from its row.
-- - The op hash of every task and the unique op hash of live tasks become one unique index on the
--   op hash and a marker that is 0 while the task is live and NULL once it is finished. SQLite
--   counts NULLs as distinct in a unique index, so the database still keeps one live task per op
--   hash and any number of finished ones, and finished work is still looked up by hash through it.
-- The change is physical only: what the store reads and guarantees stays as it was, so the
-- PostgreSQL store has no version 12.

/* [jooq ignore start] */
DROP INDEX tasks_claim_order;
DROP INDEX tasks_leases;
DROP INDEX tasks_live_op_hash;
DROP INDEX tasks_op_hash;
CREATE INDEX tasks_live ON tasks (status, priority, started_at IS NULL, seq)
  WHERE status IN ('PENDING', 'IN_PROGRESS');
CREATE UNIQUE INDEX tasks_op_hash
  ON tasks (op_hash, CASE WHEN status IN ('PENDING', 'IN_PROGRESS') THEN 0 END);
/* [jooq ignore stop] */
