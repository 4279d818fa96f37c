-- Overnight store, schema version 7: every cycle's wake receipt — fired, skipped or deferred, the
-- reason (a WakeReason name) and its detail in words — so a cycle that ran but started nothing is
-- told from one that worked. Cycles recorded before keep them NULL; the store derives the receipt
-- from the outcome and skip reason on reading. (Version 6 belongs to another line of work: the
-- versions may have gaps.)

ALTER TABLE cycle_history ADD COLUMN receipt_verdict VARCHAR(20);
ALTER TABLE cycle_history ADD COLUMN receipt_reason VARCHAR(40);
ALTER TABLE cycle_history ADD COLUMN receipt_detail TEXT;

-- The quota ledger: each agent's usage windows, learned from the tokens its tasks used and the
-- limit errors it reported, so a restart still knows a window is spent or nearly so.
CREATE TABLE quota_windows (
  agent_id     VARCHAR(200) NOT NULL,
  window_start BIGINT       NOT NULL,
  resets_at    BIGINT,
  used_tokens  BIGINT       NOT NULL,
  limit_tokens BIGINT,
  exhausted    BOOLEAN      NOT NULL,
  PRIMARY KEY (agent_id, window_start)
);
