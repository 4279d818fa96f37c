-- Overnight store on PostgreSQL, schema version 7: every cycle's wake receipt (verdict, reason,
-- detail), as in the SQLite store's version 7. Cycles recorded before keep them NULL.

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
