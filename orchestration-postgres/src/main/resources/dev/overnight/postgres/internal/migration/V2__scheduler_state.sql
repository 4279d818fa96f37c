-- Overnight store on PostgreSQL, schema version 2: the scheduler's memory, so one database holds a
-- whole night.

CREATE TABLE scheduler_snapshots (
  scheduler_id      VARCHAR(200) NOT NULL PRIMARY KEY,
  last_run_at       BIGINT,
  last_planned_at   BIGINT,
  next_planned_wake BIGINT,
  catch_up_pending  BOOLEAN      NOT NULL,
  cycle_count       BIGINT       NOT NULL,
  saved_at          BIGINT       NOT NULL
);

CREATE TABLE cycle_history (
  -- Recording order, the tie-break between cycles planned for the same instant.
  seq          BIGINT       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cycle_id     VARCHAR(200) NOT NULL UNIQUE,
  scheduler_id VARCHAR(200) NOT NULL,
  planned_at   BIGINT       NOT NULL,
  started_at   BIGINT,
  finished_at  BIGINT,
  outcome      VARCHAR(20)  NOT NULL,
  skip_reason  VARCHAR(40),
  detail       TEXT         NOT NULL,
  catch_up     BOOLEAN      NOT NULL,
  CONSTRAINT cycle_history_skip_reason_with_skipped
    CHECK ((outcome = 'SKIPPED') = (skip_reason IS NOT NULL))
);

CREATE INDEX cycle_history_recent ON cycle_history (scheduler_id, planned_at, seq);
