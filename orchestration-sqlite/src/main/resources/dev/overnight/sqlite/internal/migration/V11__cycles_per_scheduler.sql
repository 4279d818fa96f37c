-- Overnight store, schema version 11: a cycle is known by its scheduler and its id together. Cycle
-- ids ("cycle-3", "skip-<planned time>") are counted by each scheduler from its own start, so two
-- schedulers recording in one store (machines of a fleet, or several configurations) hand out the
-- same ids: with the id unique on its own, the second record replaced the first, scheduler and all.
-- SQLite cannot drop a column's UNIQUE: the table is copied into a new one, keeping every row, its
-- seq (the recording order) and the index. The PostgreSQL store's version 11 is the same change.

/* [jooq ignore start] */
CREATE TABLE cycle_history_v11 (
  -- Recording order, the tie-break between cycles planned for the same instant.
  seq             INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
  cycle_id        VARCHAR(200) NOT NULL,
  scheduler_id    VARCHAR(200) NOT NULL,
  planned_at      BIGINT       NOT NULL,
  started_at      BIGINT,
  finished_at     BIGINT,
  outcome         VARCHAR(20)  NOT NULL,
  skip_reason     VARCHAR(40),
  detail          TEXT         NOT NULL,
  catch_up        BOOLEAN      NOT NULL,
  notes           TEXT,
  receipt_verdict VARCHAR(20),
  receipt_reason  VARCHAR(40),
  receipt_detail  TEXT,
  CONSTRAINT cycle_history_skip_reason_with_skipped
    CHECK ((outcome = 'SKIPPED') = (skip_reason IS NOT NULL)),
  CONSTRAINT cycle_history_one_cycle_per_scheduler UNIQUE (scheduler_id, cycle_id)
);

INSERT INTO cycle_history_v11 (seq, cycle_id, scheduler_id, planned_at, started_at, finished_at,
    outcome, skip_reason, detail, catch_up, notes, receipt_verdict, receipt_reason, receipt_detail)
  SELECT seq, cycle_id, scheduler_id, planned_at, started_at, finished_at, outcome, skip_reason,
    detail, catch_up, notes, receipt_verdict, receipt_reason, receipt_detail
  FROM cycle_history;

DROP TABLE cycle_history;
ALTER TABLE cycle_history_v11 RENAME TO cycle_history;
CREATE INDEX cycle_history_recent ON cycle_history (scheduler_id, planned_at, seq);
/* [jooq ignore stop] */
