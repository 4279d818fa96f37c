/**
 * Overnight's SQLite store: the persistent task queue and the scheduler's state and cycle history
 * in one file, through jOOQ.
 */
module dev.overnight.sqlite {
  requires transitive dev.overnight.api;
  requires dev.overnight.core;
  requires java.sql;
  requires org.jooq;
  requires org.xerial.sqlitejdbc;

  exports dev.overnight.sqlite;

  provides dev.overnight.api.store.StoreProvider with
      dev.overnight.sqlite.internal.SqliteStoreProvider;
}
