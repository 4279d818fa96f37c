package dev.overnight.sqlite.internal;

import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.core.time.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Turns what SQLite reports into a {@link TaskQueueException} a user can act on: it names the
 * database file, says what went wrong in words, what to do, and whether anything was written.
 */
public final class SqliteErrors {

  /**
   * Below this much free space, an I/O error is taken for a full disk. SQLite says {@code
   * SQLITE_FULL} only when a write to the database or its journal fails; when the shared-memory
   * index beside it cannot grow it says {@code SQLITE_IOERR_SHMSIZE}, and other writes fail with
   * other I/O errors. SQLite needs a few pages and a 32 KiB index block at most, so a disk with
   * less than this left is full for it.
   */
  static final long LOW_SPACE_BYTES = 1024 * 1024;

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
    int code = baseCode(sql);
    if (code == 13
        || (code == 10 || failure instanceof IOException) && lowSpace(file).isPresent()) {
      return new TaskQueueException(diskFull(file, action, detail) + nothingWritten, failure);
    }
    String message =
        switch (code) {
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

  /** The message for a database on a full disk. */
  static String diskFull(Path file, String action, String detail) {
    return "SQLite database "
        + file
        + ": the disk is full"
        + lowSpace(file).stream()
            .mapToObj(b -> " (" + b / 1024 + " KiB free)")
            .findFirst()
            .orElse("")
        + ", so "
        + action
        + " failed ("
        + detail
        + "). Free some space on it: Overnight carries on by itself once there is room.";
  }

  /** The message for a database whose file went away under a running process. */
  public static String lost(Path file, String because) {
    return "SQLite database "
        + file
        + " can no longer be used: "
        + because
        + " while Overnight had it open. Overnight writes nothing more, so that no work goes to a"
        + " file no one reads; restart Overnight to open the file that is there now (a new one"
        + " if none is).";
  }

  /** The free bytes of the file's file system when they are below {@link #LOW_SPACE_BYTES}. */
  static OptionalLong lowSpace(Path file) {
    Path folder = file.getParent();
    try {
      long free = Files.getFileStore(Files.exists(file) ? file : folder).getUsableSpace();
      return free < LOW_SPACE_BYTES ? OptionalLong.of(free) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
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
