-- Overnight store, schema version 4: a cycle's notes as a list (a JSON array of strings), so
-- readers never split a joined text again. Cycles recorded before keep notes NULL and their joined
-- detail, which the store splits once, on reading; new cycles fill both (older readers see detail).

ALTER TABLE cycle_history ADD COLUMN notes TEXT;
