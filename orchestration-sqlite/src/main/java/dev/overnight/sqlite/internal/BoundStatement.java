package dev.overnight.sqlite.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Param;

/**
 * One execution of a {@link PreparedSql} on the connection's prepared statement: bind the
 * parameters by their jOOQ {@link Param}, then run it. Only inside a {@link Database} transaction.
 */
public final class BoundStatement {

  /** Reads one row of a result. */
  @FunctionalInterface
  public interface RowReader<T> {
    /** The value of the current row. */
    T read(ResultSet row) throws SQLException;
  }

  private final PreparedSql sql;
  private final PreparedStatement statement;

  BoundStatement(PreparedSql sql, PreparedStatement statement) {
    this.sql = sql;
    this.statement = statement;
  }

  /** Binds a parameter; {@code null} binds SQL NULL. */
  public <T> BoundStatement set(Param<T> param, T value) throws SQLException {
    statement.setObject(sql.index(param), value);
    return this;
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the rows changed. */
  public int update() throws SQLException {
    return statement.executeUpdate();
  }

  /** Runs a query (or a statement with RETURNING) for at most one row. */
  public <T> Optional<T> one(RowReader<T> reader) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
    }
  }

  /** Runs a query for every row. */
  public <T> List<T> all(RowReader<T> reader) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(reader.read(rs));
      }
      return rows;
    }
  }
}
