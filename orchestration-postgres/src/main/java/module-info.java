/**
 * Overnight's PostgreSQL store: the task queue, scheduler state and cycle history a fleet of
 * machines shares, through jOOQ.
 */
module dev.overnight.postgres {
  requires transitive dev.overnight.api;
  requires dev.overnight.core;
  requires java.sql;
  requires org.jooq;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports dev.overnight.postgres;

  provides dev.overnight.api.store.StoreProvider with
      dev.overnight.postgres.internal.PostgresStoreProvider;
}
