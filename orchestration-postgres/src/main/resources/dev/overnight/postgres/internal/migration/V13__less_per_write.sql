-- Overnight store on PostgreSQL, schema version 13: less work for the server on every write of a
-- task, the same rules kept. Physical only: the columns keep their base types (what jOOQ and the
-- SQLite store see), and every value the old constraints let in is let in.

/* [jooq ignore start] */
-- A table's CHECK constraints are kept as stored expression trees that each INSERT and UPDATE
-- parses and prepares anew (the status list, a constant array, is read byte by byte); a domain's
-- constraints are parsed once per connection and kept in its type cache. So the two single-column
-- rules move into domains under their old names: a value outside them still fails with SQLSTATE
-- 23514 naming the same constraint. The two rules over several columns (attempts within
-- max_attempts; a lease iff in progress) stay CHECK constraints: a row trigger in their place cost
-- more than they do. Changing the columns' types checks every stored row once, rewriting the table
-- and its indexes.
CREATE DOMAIN task_status AS VARCHAR(20)
  CONSTRAINT tasks_status_known
    CHECK (VALUE IN ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED'));
-- TaskPriority.rank(): 1 = HIGH, 2 = MEDIUM, 3 = LOW.
CREATE DOMAIN task_priority AS INTEGER
  CONSTRAINT tasks_priority_known CHECK (VALUE BETWEEN 1 AND 3);

ALTER TABLE tasks DROP CONSTRAINT tasks_status_known;
ALTER TABLE tasks DROP CONSTRAINT tasks_priority_known;
ALTER TABLE tasks
  ALTER COLUMN status TYPE task_status,
  ALTER COLUMN priority TYPE task_priority;

-- No statement reads the label index: a claim tests a worker's labels inside its pick from the
-- claim-order index, and a containment test (<@) would narrow a GIN scan little, since every task
-- without labels is contained in any set. Every enqueue wrote an entry into it.
DROP INDEX tasks_required_labels;
/* [jooq ignore stop] */
