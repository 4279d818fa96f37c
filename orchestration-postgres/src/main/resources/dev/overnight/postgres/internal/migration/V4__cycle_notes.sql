-- Overnight store on PostgreSQL, schema version 4: a cycle's notes as a list (a JSON array of
-- strings), as in the SQLite store's version 4.

ALTER TABLE cycle_history ADD COLUMN notes TEXT;
