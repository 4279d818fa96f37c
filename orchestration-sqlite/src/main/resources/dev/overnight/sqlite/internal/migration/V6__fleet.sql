-- Overnight store, schema version 6: a fleet of workers on one store. Each task's required labels
-- (TaskFacts.REQUIRED_LABELS, a JSON array of strings, sorted) are copied into a column at enqueue,
-- so a claim passes over the tasks a worker cannot run inside the claim statement itself; and every
-- worker records its name, labels and state, for the fleet's status.

ALTER TABLE tasks ADD COLUMN required_labels VARCHAR(8000) NOT NULL DEFAULT '[]';

CREATE TABLE workers (
  id             VARCHAR(200)  NOT NULL PRIMARY KEY,
  name           VARCHAR(200)  NOT NULL,
  -- A JSON array of the worker's labels, sorted.
  labels         TEXT          NOT NULL,
  -- WorkerState.Kind.key(): running, waiting_for_window, constraints_unmet, idle, stopping.
  state          VARCHAR(30)   NOT NULL,
  -- A JSON array: the constraints that hold it back, each with its reason.
  unmet          TEXT          NOT NULL,
  -- A JSON array of the ids of the tasks it is running.
  current_tasks  TEXT          NOT NULL,
  -- Epoch milliseconds, by the worker's own clock.
  last_heartbeat BIGINT        NOT NULL,
  started_at     BIGINT        NOT NULL,
  CONSTRAINT workers_state_known
    CHECK (state IN ('running', 'waiting_for_window', 'constraints_unmet', 'idle', 'stopping'))
);
