-- Overnight store on PostgreSQL, schema version 6: a fleet of workers on one store, as in the SQLite
-- store's version 6. Each task's required labels are copied into an array column at enqueue, so a
-- claim passes over the tasks a worker cannot run inside the claim statement itself
-- (required_labels <@ the worker's labels); and every worker records its name, labels and state.
-- Where SQLite keeps JSON arrays, PostgreSQL keeps text arrays.

ALTER TABLE tasks ADD COLUMN required_labels TEXT[] NOT NULL DEFAULT '{}';

/* [jooq ignore start] */
-- "Which pending tasks need label x" (the fleet's queue by label) and containment tests.
CREATE INDEX tasks_required_labels ON tasks USING GIN (required_labels);
/* [jooq ignore stop] */

CREATE TABLE workers (
  id             VARCHAR(200)  NOT NULL PRIMARY KEY,
  name           VARCHAR(200)  NOT NULL,
  labels         TEXT[]        NOT NULL,
  -- WorkerState.Kind.key(): running, waiting_for_window, constraints_unmet, idle, stopping.
  state          VARCHAR(30)   NOT NULL,
  -- The constraints that hold it back, each with its reason.
  unmet          TEXT[]        NOT NULL,
  -- The ids of the tasks it is running.
  current_tasks  TEXT[]        NOT NULL,
  -- Epoch milliseconds, by the worker's own clock.
  last_heartbeat BIGINT        NOT NULL,
  started_at     BIGINT        NOT NULL,
  CONSTRAINT workers_state_known
    CHECK (state IN ('running', 'waiting_for_window', 'constraints_unmet', 'idle', 'stopping'))
);
