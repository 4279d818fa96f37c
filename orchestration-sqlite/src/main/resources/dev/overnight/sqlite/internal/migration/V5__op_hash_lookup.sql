-- Overnight store, schema version 5: an index on every task's op hash, whatever its status, so a
-- decision looks finished work up by hash (TaskQueue.takenOpHashes) instead of reading the table.
-- The unique index of version 1 covers live tasks only: it is what keeps two live copies out.

CREATE INDEX tasks_op_hash ON tasks (op_hash);
