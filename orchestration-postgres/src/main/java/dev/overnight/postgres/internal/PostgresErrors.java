package dev.overnight.postgres.internal;

import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.core.time.Durations;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns what PostgreSQL and its driver report into a {@link TaskQueueException} a user can act on:
 * it names the database (its URL, never the password), says what went wrong in words and what to
 * change.
 */
public final class PostgresErrors {

  private PostgresErrors() {}

  /**
   * The exception for a connection that could not be opened: a refused connection, an unknown host,
   * a database that does not exist, a wrong user or password, and so on, each with what to fix.
   */
  public static TaskQueueException cannotConnect(Endpoint endpoint, Throwable failure) {
    SQLException sql = findSql(failure);
    String state = sql == null ? "" : String.valueOf(sql.getSQLState());
    String detail = sql != null ? sql.getMessage() : String.valueOf(failure);
    String where = "PostgreSQL at " + endpoint.safeUrl();
    String message;
    if (hasCause(failure, UnknownHostException.class)) {
      message =
          "Cannot reach "
              + where
              + ": its host name is unknown ("
              + detail
              + "). Fix the host in store.url.";
    } else if (hasCause(failure, ConnectException.class)
        || hasCause(failure, NoRouteToHostException.class)) {
      message =
          "Cannot reach "
              + where
              + ": the connection was refused ("
              + detail
              + "). Start the PostgreSQL server, or fix the host and port in store.url.";
    } else if (hasCause(failure, SocketTimeoutException.class)) {
      message =
          "Cannot reach "
              + where
              + ": no answer within "
              + Durations.human(endpoint.connectTimeout())
              + " ("
              + detail
              + "). Check that the server runs and that no firewall is in the way.";
    } else if (state.equals("3D000")) {
      message =
          where
              + ": the database does not exist ("
              + detail
              + "). Create it (createdb <name>, or CREATE DATABASE) or fix the database name in"
              + " store.url.";
    } else if (state.equals("28P01")) {
      message =
          where
              + ": the server refused the password"
              + endpoint.user().map(u -> " of user " + u).orElse("")
              + " ("
              + detail
              + "). Set the right password in "
              + endpoint
                  .passwordSource()
                  .orElse("the environment variable store.password_env names")
              + ".";
    } else if (state.equals("28000")) {
      message =
          where
              + ": the server refused the login"
              + endpoint.user().map(u -> " of user " + u).orElse("")
              + " ("
              + detail
              + "). Fix store.user, or let this user in (CREATE ROLE, pg_hba.conf).";
    } else if (state.equals("57P03")) {
      message =
          where
              + " is starting up or shutting down ("
              + detail
              + "). Try again once the server is up.";
    } else {
      message = "Cannot connect to " + where + ": " + detail + ".";
    }
    return new TaskQueueException(message, failure);
  }

  /**
   * The exception for a failure of {@code action} on an open database.
   *
   * @param rolledBack whether the failing work was undone: the message then says nothing was
   *     written
   */
  public static TaskQueueException translate(
      Endpoint endpoint, String action, Throwable failure, boolean rolledBack) {
    SQLException sql = findSql(failure);
    String state = sql == null ? "" : String.valueOf(sql.getSQLState());
    String detail = sql != null ? sql.getMessage() : String.valueOf(failure);
    String nothingWritten = rolledBack ? " Nothing was written." : "";
    String where = "PostgreSQL at " + endpoint.safeUrl();
    String message;
    if (state.equals("55P03")) {
      message =
          where
              + ": gave up on "
              + action
              + " after waiting "
              + Durations.human(endpoint.lockTimeout())
              + " for a row another connection holds ("
              + detail
              + ")."
              + nothingWritten;
    } else if (isConnectionLost(sql)) {
      message =
          where
              + ": the connection was lost during "
              + action
              + " ("
              + detail
              + ")."
              + nothingWritten
              + " Overnight reconnects on the next call.";
    } else {
      message = where + ": " + action + " failed: " + detail + "." + nothingWritten;
    }
    return new TaskQueueException(message, failure);
  }

  /**
   * Whether a failure means the connection is gone (the server stopped or restarted, the backend
   * was terminated, the network failed): the transaction it had open is rolled back by the server,
   * and only a new connection can go on.
   */
  public static boolean isConnectionLost(SQLException sql) {
    if (sql == null) {
      return false;
    }
    String state = sql.getSQLState();
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03"));
  }

  /**
   * Whether the server ended the connection on purpose (an administrator's {@code
   * pg_terminate_backend}, a shutdown or restart): a new connection may well work at once.
   */
  public static boolean isTerminated(SQLException sql) {
    return sql != null && ("57P01".equals(sql.getSQLState()) || "57P02".equals(sql.getSQLState()));
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

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
