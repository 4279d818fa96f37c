/**
 * Overnight's SQLite store: the persistent task queue and the scheduler's memory in one file. Start
 * at {@link dev.overnight.sqlite.SqliteStore}.
 */
package dev.overnight.sqlite;
