-- Overnight store, schema version 8: less written per job on the hot path, as in the PostgreSQL
-- store's version 8. An event is written in the same transaction as its task's change and purged
-- with its task in the same transaction, so the foreign key from task_events to tasks, checked on
-- every event written, guards nothing those transactions do not already keep. SQLite cannot drop a
-- constraint: the table is copied into one without it, keeping every event, its sequence number
-- and the sequence's high-water mark (so no number is ever handed out twice).

/* [jooq ignore start] */
CREATE TABLE task_events_v8 (
  -- The queue's global history order.
  seq         INTEGER       NOT NULL PRIMARY KEY AUTOINCREMENT,
  task_id     VARCHAR(64)   NOT NULL,
  at          BIGINT        NOT NULL,
  actor       VARCHAR(200)  NOT NULL,
  type        VARCHAR(30)   NOT NULL,
  from_status VARCHAR(20),
  to_status   VARCHAR(20)   NOT NULL,
  reason      TEXT          NOT NULL
);

INSERT INTO task_events_v8 (seq, task_id, at, actor, type, from_status, to_status, reason)
  SELECT seq, task_id, at, actor, type, from_status, to_status, reason FROM task_events;

DELETE FROM sqlite_sequence WHERE name = 'task_events_v8';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'task_events_v8', seq FROM sqlite_sequence WHERE name = 'task_events';

DROP TABLE task_events;
ALTER TABLE task_events_v8 RENAME TO task_events;
CREATE INDEX task_events_by_task ON task_events (task_id, seq);
/* [jooq ignore stop] */
