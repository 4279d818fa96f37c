package dev.overnight.core.config.internal;

import dev.overnight.api.config.StoreSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the config's {@code store} section: its kind ({@code sqlite} or {@code postgres}) and, for
 * PostgreSQL, the JDBC URL, user, the environment variable holding the password (a password in the
 * file is refused) and the timeouts; every problem with its JSON path.
 */
final class StoreReader {
  private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
  private static final List<String> STORE_KINDS =
      List.of(StoreSettings.SQLITE, StoreSettings.POSTGRES);

  /** What only a database store has: the SQLite store is a file in the state folder. */
  private static final List<String> STORE_POSTGRES_ONLY =
      List.of(
          "url",
          "user",
          "password_env",
          "connect_timeout_ms",
          "statement_timeout_ms",
          "socket_timeout_ms",
          "lock_timeout_ms");

  private static final String POSTGRES_URL = "jdbc:postgresql://";

  private final Problems problems;

  StoreReader(Problems problems) {
    this.problems = problems;
  }

  /** The store settings of {@code root}; empty when it has none or they name no known store. */
  Optional<StoreSettings> read(JsonObject root) {
    return root.object("store").flatMap(this::store);
  }

  private Optional<StoreSettings> store(JsonObject s) {
    Optional<String> kind = s.requiredString("kind");
    kind.filter(k -> !STORE_KINDS.contains(k))
        .ifPresent(
            k ->
                problems.add(
                    s.pathOf("kind"),
                    "\""
                        + k
                        + "\" is not a store"
                        + Suggestions.didYouMean(k, STORE_KINDS)
                        + " (known: "
                        + String.join(", ", STORE_KINDS)
                        + ")"));
    Optional<String> url = s.string("url");
    Optional<String> user = s.string("user");
    Optional<String> passwordEnv = s.string("password_env");
    if (s.has("password")) {
      problems.add(
          s.pathOf("password"),
          "a password never goes in the config file: put it in an environment variable and name"
              + " that variable in password_env");
    }
    boolean postgres = kind.filter(StoreSettings.POSTGRES::equals).isPresent();
    boolean sqlite = kind.filter(StoreSettings.SQLITE::equals).isPresent();
    if (postgres && !s.has("url")) {
      s.missing("url");
    }
    url.filter(u -> postgres && !u.startsWith(POSTGRES_URL))
        .ifPresent(
            u ->
                problems.add(
                    s.pathOf("url"),
                    "\""
                        + u
                        + "\" is not a PostgreSQL JDBC URL: write it as"
                        + " jdbc:postgresql://<host>:<port>/<database>"));
    user.filter(String::isBlank)
        .ifPresent(u -> problems.add(s.pathOf("user"), "must not be empty"));
    passwordEnv
        .filter(v -> !ENV_NAME.matcher(v).matches())
        .ifPresent(
            v ->
                problems.add(
                    s.pathOf("password_env"),
                    "\""
                        + v
                        + "\" is not an environment variable name: use letters, digits and '_',"
                        + " not starting with a digit (the variable holds the password; the"
                        + " password itself never goes in the file)"));
    StoreSettings.Timeouts timeouts = storeTimeouts(s);
    if (sqlite) {
      for (String key : STORE_POSTGRES_ONLY) {
        if (s.has(key)) {
          problems.add(
              s.pathOf(key),
              "only a \"postgres\" store has a "
                  + key
                  + ": the SQLite store is the file overnight.db in the state folder");
        }
      }
    }
    s.finish();
    if (kind.isEmpty() || !STORE_KINDS.contains(kind.get())) {
      return Optional.empty();
    }
    return Optional.of(new StoreSettings(kind.get(), url, user, passwordEnv, timeouts));
  }

  /**
   * The database store's timeouts, in milliseconds: each within a range that keeps a store usable,
   * and the socket timeout longer than the statement timeout (given or default), so that a slow
   * statement is cancelled by the server before the connection is given up as lost.
   */
  private StoreSettings.Timeouts storeTimeouts(JsonObject s) {
    Optional<Duration> connect =
        millis(s, "connect_timeout_ms", 100, 600_000, "between 100 and 600000 (10 minutes)");
    Optional<Duration> statement =
        millis(s, "statement_timeout_ms", 100, 3_600_000, "between 100 and 3600000 (an hour)");
    Optional<Duration> socket =
        millis(s, "socket_timeout_ms", 1_000, 3_660_000, "between 1000 and 3660000 (61 minutes)");
    Optional<Duration> lock =
        millis(s, "lock_timeout_ms", 10, 600_000, "between 10 and 600000 (10 minutes)");
    Duration effectiveStatement = statement.orElse(StoreSettings.Timeouts.DEFAULT_STATEMENT);
    socket
        .filter(d -> d.compareTo(effectiveStatement) <= 0)
        .ifPresent(
            d ->
                problems.add(
                    s.pathOf("socket_timeout_ms"),
                    d.toMillis()
                        + " must be longer than the statement timeout ("
                        + effectiveStatement.toMillis()
                        + (statement.isPresent() ? "" : ", the default")
                        + "), so that a slow statement is cancelled by the server before the"
                        + " connection is given up as lost"));
    return new StoreSettings.Timeouts(connect, statement, socket, lock);
  }

  /** A timeout in milliseconds, from {@code min} to {@code max} ({@code range} says so). */
  private static Optional<Duration> millis(
      JsonObject s, String key, long min, long max, String range) {
    return s.integer(key, min, max, range).map(Duration::ofMillis);
  }
}
