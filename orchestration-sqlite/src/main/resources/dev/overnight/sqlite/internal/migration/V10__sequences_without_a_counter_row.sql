-- Overnight store, schema version 10: every change to a task writes one page fewer. Tasks and
-- events were AUTOINCREMENT tables, so every insert into either also rewrote SQLite's counter row
-- in sqlite_sequence: one more page in the WAL for each enqueue, claim and completion. Without it a
-- new row's number is one past the largest in the table, which differs only once the largest rows
-- are deleted, and only purge deletes:
-- - A task's seq orders claims among the tasks that exist and is read nowhere else: so a purged
--   task's number coming back orders nothing wrongly.
-- - An event's seq is its place in the queue's history, which readers keep: it must never come
--   back. So the store chooses it itself, one past the larger of the largest in the table and
--   task_event_sequence.high_water, which purge raises to the largest number it deletes. Inserting
--   an event reads that one row and writes nothing more.
-- SQLite cannot change a table's key: both tables are copied into new ones, keeping every row, its
-- number and every index. The change is physical only: what the store reads and guarantees stays
-- as it was, so the PostgreSQL store has no version 10 (its identity columns never hand a number
-- out twice and write no counter row per insert). Version 9 belongs to another line of work.

/* [jooq ignore start] */
CREATE TABLE task_event_sequence (
  high_water INTEGER NOT NULL
);

INSERT INTO task_event_sequence (high_water)
  SELECT max(
    coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'task_events'), 0),
    coalesce((SELECT max(seq) FROM task_events), 0));

CREATE TABLE task_events_v10 (
  -- The queue's global history order: see task_event_sequence.
  seq         INTEGER       NOT NULL PRIMARY KEY,
  task_id     VARCHAR(64)   NOT NULL,
  at          BIGINT        NOT NULL,
  actor       VARCHAR(200)  NOT NULL,
  type        VARCHAR(30)   NOT NULL,
  from_status VARCHAR(20),
  to_status   VARCHAR(20)   NOT NULL,
  reason      TEXT          NOT NULL
);

INSERT INTO task_events_v10 (seq, task_id, at, actor, type, from_status, to_status, reason)
  SELECT seq, task_id, at, actor, type, from_status, to_status, reason FROM task_events;

DROP TABLE task_events;
ALTER TABLE task_events_v10 RENAME TO task_events;
CREATE INDEX task_events_by_task ON task_events (task_id, seq);

CREATE TABLE tasks_v10 (
  -- Claim order within a priority (FIFO).
  seq              INTEGER       NOT NULL PRIMARY KEY,
  id               VARCHAR(64)   NOT NULL UNIQUE,
  title            VARCHAR(500)  NOT NULL,
  prompt           TEXT          NOT NULL,
  agent_id         VARCHAR(200),
  -- TaskPriority.rank(): 1 = HIGH, 2 = MEDIUM, 3 = LOW.
  priority         INTEGER       NOT NULL,
  op_hash          VARCHAR(200)  NOT NULL,
  status           VARCHAR(20)   NOT NULL,
  attempts         INTEGER       NOT NULL,
  max_attempts     INTEGER       NOT NULL,
  worker_id        VARCHAR(200),
  lease_expires_at BIGINT,
  created_at       BIGINT        NOT NULL,
  updated_at       BIGINT        NOT NULL,
  started_at       BIGINT,
  finished_at      BIGINT,
  last_error       TEXT,
  -- A JSON object of string values.
  metadata         TEXT          NOT NULL,
  -- TaskFacts.REQUIRED_LABELS: a JSON array of strings, sorted.
  required_labels  VARCHAR(8000) NOT NULL DEFAULT '[]',
  CONSTRAINT tasks_status_known
    CHECK (status IN ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED')),
  CONSTRAINT tasks_priority_known CHECK (priority BETWEEN 1 AND 3),
  CONSTRAINT tasks_attempts_in_range CHECK (attempts >= 0 AND attempts <= max_attempts),
  CONSTRAINT tasks_lease_while_in_progress
    CHECK ((status = 'IN_PROGRESS') = (worker_id IS NOT NULL AND lease_expires_at IS NOT NULL))
);

INSERT INTO tasks_v10 (seq, id, title, prompt, agent_id, priority, op_hash, status, attempts,
    max_attempts, worker_id, lease_expires_at, created_at, updated_at, started_at, finished_at,
    last_error, metadata, required_labels)
  SELECT seq, id, title, prompt, agent_id, priority, op_hash, status, attempts, max_attempts,
    worker_id, lease_expires_at, created_at, updated_at, started_at, finished_at, last_error,
    metadata, required_labels
  FROM tasks;

DROP TABLE tasks;
ALTER TABLE tasks_v10 RENAME TO tasks;
CREATE INDEX tasks_claim_order ON tasks (priority, started_at IS NULL, seq) WHERE status = 'PENDING';
CREATE UNIQUE INDEX tasks_live_op_hash ON tasks (op_hash) WHERE status IN ('PENDING', 'IN_PROGRESS');
CREATE INDEX tasks_leases ON tasks (lease_expires_at) WHERE status = 'IN_PROGRESS';
CREATE INDEX tasks_finished ON tasks (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX tasks_op_hash ON tasks (op_hash);
/* [jooq ignore stop] */
