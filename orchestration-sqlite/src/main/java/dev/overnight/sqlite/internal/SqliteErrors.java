package dev.overnight.sqlite.internal;

import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.core.time.Durations;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Turns what SQLite reports into a {@link TaskQueueException} a user can act on: it names the
 * database file, says what went wrong in words, what to do, and whether anything was written.
 */
public final class SqliteErrors {

  private SqliteErrors() {}

  /**
   * The exception for a failure of {@code action} on {@code file}.
   *
   * @param rolledBack whether the failing work was undone (a write transaction that was rolled
   *     back, or a step that writes nothing): the message then says nothing was written
   */
  public static TaskQueueException translate(
      Path file, String action, Throwable failure, Duration busyTimeout, boolean rolledBack) {
    SQLException sql = findSql(failure);
    String detail = sql != null ? sql.getMessage() : String.valueOf(failure);
    String nothingWritten = rolledBack ? " Nothing was written." : "";
    String message =
        switch (baseCode(sql)) {
          case 5, 6 ->
              "SQLite database "
                  + file
                  + " is locked by another connection or process: gave up on "
                  + action
                  + " after waiting "
                  + Durations.human(busyTimeout)
                  + ". Another program (or a sqlite3 shell) holds a write lock on it; close it"
                  + " or raise the busy timeout."
                  + nothingWritten;
          case 8 -> readOnly(file, detail) + nothingWritten;
          case 11 -> corrupt(file, detail) + nothingWritten;
          case 26 -> notADatabase(file, detail) + nothingWritten;
          case 14 ->
              "SQLite database "
                  + file
                  + " cannot be opened ("
                  + detail
                  + "): check that the path is a file in an existing, writable folder."
                  + nothingWritten;
          case 13 ->
              "SQLite database "
                  + file
                  + " cannot grow: the disk is full ("
                  + detail
                  + "). Free some space."
                  + nothingWritten;
          case 10 ->
              "SQLite database "
                  + file
                  + ": an I/O error stopped "
                  + action
                  + " ("
                  + detail
                  + ")."
                  + nothingWritten;
          default ->
              "SQLite database "
                  + file
                  + ": "
                  + action
                  + " failed: "
                  + detail
                  + "."
                  + nothingWritten;
        };
    return new TaskQueueException(message, failure);
  }

  /** The message for a file Overnight cannot write to. */
  public static String readOnly(Path file, String detail) {
    return "SQLite database "
        + file
        + " is read-only ("
        + detail
        + "): Overnight records every change to its tasks there, so it must be able to write"
        + " the file and create files next to it. Make the file and its folder writable, or"
        + " point Overnight at another file.";
  }

  /** The message for a damaged database. */
  public static String corrupt(Path file, String detail) {
    return "SQLite database "
        + file
        + " is corrupt ("
        + detail
        + "). Restore it from a backup, or move it away and let Overnight start a new one;"
        + " `sqlite3 <file> .recover` may save its contents.";
  }

  /** The message for a file that is not an SQLite database. */
  public static String notADatabase(Path file, String detail) {
    return file
        + " is not an SQLite database ("
        + detail
        + "). Point Overnight at its own database file, or move this file away.";
  }

  /** The primary SQLite result code of a failure, or -1 when it is not an SQLite error. */
  public static int baseCode(SQLException sql) {
    if (sql instanceof SQLiteException lite) {
      SQLiteErrorCode code = lite.getResultCode();
      return code.code & 0xff;
    }
    return sql == null ? -1 : sql.getErrorCode() & 0xff;
  }

  /** The first {@link SQLException} in a cause chain, or null. */
  public static SQLException findSql(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
