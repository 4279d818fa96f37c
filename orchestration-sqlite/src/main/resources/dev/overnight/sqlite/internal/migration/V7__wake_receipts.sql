-- Overnight store, schema version 7: every cycle's wake receipt — fired, skipped or deferred, the
-- reason (a WakeReason name) and its detail in words — so a cycle that ran but started nothing is
-- told from one that worked. Cycles recorded before keep them NULL; the store derives the receipt
-- from the outcome and skip reason on reading. (Version 6 belongs to another line of work: the
-- versions may have gaps.)

ALTER TABLE cycle_history ADD COLUMN receipt_verdict VARCHAR(20);
ALTER TABLE cycle_history ADD COLUMN receipt_reason VARCHAR(40);
ALTER TABLE cycle_history ADD COLUMN receipt_detail TEXT;
