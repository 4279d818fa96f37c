package dev.overnight.sqlite.internal;

import java.util.HashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * A statement built with jOOQ against the generated schema, rendered once to SQL with named
 * parameters ({@code :name}), and prepared once per connection by {@link Database}.
 *
 * <p>Why not let jOOQ execute it: jOOQ renders the SQL afresh on every execution and sqlite-jdbc
 * prepares it afresh (it has no statement cache). On the queue's hot path (a few statements per
 * transaction, each a few microseconds of SQLite work) rendering and preparing took about half the
 * time, measured. jOOQ's own statement reuse ({@code keepStatement} with {@code bind}) looks every
 * parameter up by walking the query again. So jOOQ builds the statement, and it is executed as a
 * plain JDBC prepared statement; SQLite numbers named parameters itself, in order of first
 * appearance, one number per distinct name.
 *
 * <p>Immutable and thread-safe.
 */
public final class PreparedSql {

  private static final DSLContext RENDERER =
      DSL.using(SQLDialect.SQLITE, new Settings().withRenderSchema(false));

  private final String sql;
  private final Map<String, Integer> indexes;

  private PreparedSql(String sql, Map<String, Integer> indexes) {
    this.sql = sql;
    this.indexes = Map.copyOf(indexes);
  }

  /** Renders a jOOQ statement whose bind values are named {@link Param}s. */
  public static PreparedSql of(Query query) {
    String sql = RENDERER.renderNamedParams(query);
    return new PreparedSql(sql, parameterIndexes(sql));
  }

  /** The SQL as SQLite prepares it. */
  public String sql() {
    return sql;
  }

  /** The JDBC index of a named parameter. */
  int index(Param<?> param) {
    Integer index = indexes.get(param.getParamName());
    if (index == null) {
      throw new IllegalArgumentException("no parameter :" + param.getParamName() + " in " + sql);
    }
    return index;
  }

  @Override
  public String toString() {
    return sql;
  }

  /** Named parameters outside string literals, numbered as SQLite numbers them. */
  private static Map<String, Integer> parameterIndexes(String sql) {
    Map<String, Integer> indexes = new HashMap<>();
    boolean inLiteral = false;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\'') {
        inLiteral = !inLiteral;
      } else if (!inLiteral && c == ':' && i + 1 < sql.length() && isNameStart(sql.charAt(i + 1))) {
        int end = i + 1;
        while (end < sql.length() && isNamePart(sql.charAt(end))) {
          end++;
        }
        indexes.putIfAbsent(sql.substring(i + 1, end), indexes.size() + 1);
        i = end - 1;
      }
    }
    return indexes;
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
