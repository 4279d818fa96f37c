-- Overnight store on PostgreSQL, schema version 1: the task queue and the history of every change to
-- a task. The same tables, columns and constraints as the SQLite store's version 1; only what the
-- dialects spell differently differs (identity columns, partial indexes).
--
-- Instants are BIGINT milliseconds since the epoch (UTC), written by Overnight's clocks, never by
-- the server's: leases are judged by the clock of the process that reads them, as on SQLite.
-- Statements between "jooq ignore" comments matter at run time only, not for the generated code.

CREATE TABLE schema_version (
  version     INTEGER       NOT NULL PRIMARY KEY,
  description VARCHAR(200)  NOT NULL,
  applied_at  BIGINT        NOT NULL
);

CREATE TABLE tasks (
  -- Claim order within a priority (FIFO); a sequence never hands a number out twice.
  seq              BIGINT        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
  CONSTRAINT tasks_status_known
    CHECK (status IN ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED')),
  CONSTRAINT tasks_priority_known CHECK (priority BETWEEN 1 AND 3),
  CONSTRAINT tasks_attempts_in_range CHECK (attempts >= 0 AND attempts <= max_attempts),
  CONSTRAINT tasks_lease_while_in_progress
    CHECK ((status = 'IN_PROGRESS') = (worker_id IS NOT NULL AND lease_expires_at IS NOT NULL))
);

/* [jooq ignore start] */
-- The next task to claim: one index probe (priority, then FIFO) over pending tasks only.
CREATE INDEX tasks_claim_order ON tasks (priority, seq) WHERE status = 'PENDING';
-- Deduplication: at most one live task per op hash, whatever process enqueues it.
CREATE UNIQUE INDEX tasks_live_op_hash ON tasks (op_hash) WHERE status IN ('PENDING', 'IN_PROGRESS');
-- Lease recovery scans in-progress tasks only.
CREATE INDEX tasks_leases ON tasks (lease_expires_at) WHERE status = 'IN_PROGRESS';
-- Listing finished tasks, most recent first, and purging old ones.
CREATE INDEX tasks_finished ON tasks (finished_at) WHERE finished_at IS NOT NULL;
/* [jooq ignore stop] */

CREATE TABLE task_events (
  -- The queue's global history order.
  seq         BIGINT        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id     VARCHAR(64)   NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  at          BIGINT        NOT NULL,
  actor       VARCHAR(200)  NOT NULL,
  type        VARCHAR(30)   NOT NULL,
  from_status VARCHAR(20),
  to_status   VARCHAR(20)   NOT NULL,
  reason      TEXT          NOT NULL
);

CREATE INDEX task_events_by_task ON task_events (task_id, seq);
