-- Overnight store on PostgreSQL, schema version 5: an index on every task's op hash, as in the
-- SQLite store's version 5, so finished work is looked up by hash.

CREATE INDEX tasks_op_hash ON tasks (op_hash);
