-- Overnight store on PostgreSQL, schema version 11: a cycle is known by its scheduler and its id
-- together, as in the SQLite store's version 11. Cycle ids ("cycle-3", "skip-<planned time>") are
-- counted by each scheduler from its own start, so the machines of a fleet hand out the same ids:
-- with the id unique on its own, one machine's record replaced another's, scheduler and all. Every
-- row is kept (no two rows of one scheduler could share an id before either).

/* [jooq ignore start] */
ALTER TABLE cycle_history DROP CONSTRAINT cycle_history_cycle_id_key;
ALTER TABLE cycle_history
  ADD CONSTRAINT cycle_history_one_cycle_per_scheduler UNIQUE (scheduler_id, cycle_id);
/* [jooq ignore stop] */
