-- Overnight store on PostgreSQL, schema version 7: every cycle's wake receipt (verdict, reason,
-- detail), as in the SQLite store's version 7. Cycles recorded before keep them NULL.

ALTER TABLE cycle_history ADD COLUMN receipt_verdict VARCHAR(20);
ALTER TABLE cycle_history ADD COLUMN receipt_reason VARCHAR(40);
ALTER TABLE cycle_history ADD COLUMN receipt_detail TEXT;
