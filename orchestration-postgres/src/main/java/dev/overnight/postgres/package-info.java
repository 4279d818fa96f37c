/**
 * Overnight's PostgreSQL store: one task queue, scheduler state and cycle history shared by a fleet
 * of machines. Open it with {@link dev.overnight.postgres.PostgresStore#builder(String)}, or let a
 * runtime whose config says {@code store: {kind: postgres}} open it.
 */
package dev.overnight.postgres;
