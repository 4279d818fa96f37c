package dev.overnight.api.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which store keeps the queue and the scheduler's history: the SQLite file in the state folder (one
 * machine), or a PostgreSQL database several machines share.
 *
 * <p>The password is never part of the configuration: {@link #passwordEnv()} names the environment
 * variable that holds it, read by the store when it connects.
 *
 * @param kind the store provider's name: {@value #SQLITE} or {@value #POSTGRES}
 * @param url where the database is ({@code jdbc:postgresql://host:5432/overnight}); empty for
 *     SQLite, which lives in the state folder
 * @param user the database user; empty for the URL's (or the driver's default)
 * @param passwordEnv the name of the environment variable holding the password; empty for none
 * @param timeouts how long the store waits on its database; each left out takes the store's default
 *     (SQLite has none of these)
 * @since 0.1.0
 */
public record StoreSettings(
    String kind,
    Optional<String> url,
    Optional<String> user,
    Optional<String> passwordEnv,
    Timeouts timeouts) {

  /** The embedded store of one machine. */
  public static final String SQLITE = "sqlite";

  /** The store a fleet of machines shares. */
  public static final String POSTGRES = "postgres";

  /** Checks presence. */
  public StoreSettings {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(passwordEnv, "passwordEnv");
    Objects.requireNonNull(timeouts, "timeouts");
  }

  /** A store with its provider's default timeouts. */
  public StoreSettings(
      String kind, Optional<String> url, Optional<String> user, Optional<String> passwordEnv) {
    this(kind, url, user, passwordEnv, Timeouts.defaults());
  }

  /**
   * How long a database store waits: each empty for the store's own default. Immutable.
   *
   * @param connect how long opening a connection may take ({@code store.connect_timeout_ms})
   * @param statement how long the server lets one statement run before it cancels it ({@code
   *     store.statement_timeout_ms})
   * @param socket how long the store waits for an answer on an open connection before it gives the
   *     connection up as lost ({@code store.socket_timeout_ms}); longer than the statement timeout,
   *     so a slow statement is the server's to cancel
   * @param lock how long a statement waits for a row another connection holds ({@code
   *     store.lock_timeout_ms})
   * @since 0.1.0
   */
  public record Timeouts(
      Optional<Duration> connect,
      Optional<Duration> statement,
      Optional<Duration> socket,
      Optional<Duration> lock) {

    /** The statement timeout of a store whose config names none. */
    public static final Duration DEFAULT_STATEMENT = Duration.ofSeconds(30);

    /** Checks presence and that every timeout given is positive (zero would mean forever). */
    public Timeouts {
      positive(connect, "connect");
      positive(statement, "statement");
      positive(socket, "socket");
      positive(lock, "lock");
    }

    /** Every timeout the store's default. */
    public static Timeouts defaults() {
      return new Timeouts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static void positive(Optional<Duration> value, String name) {
      Objects.requireNonNull(value, name);
      if (value.filter(d -> d.isNegative() || d.isZero()).isPresent()) {
        throw new IllegalArgumentException(
            "the " + name + " timeout must be positive, was " + value.get());
      }
    }
  }

  /** The SQLite file in the state folder. */
  public static StoreSettings sqlite() {
    return new StoreSettings(SQLITE, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A PostgreSQL database at {@code url}, as {@code user}, its password in {@code passwordEnv}. */
  public static StoreSettings postgres(String url, String user, String passwordEnv) {
    return new StoreSettings(
        POSTGRES, Optional.of(url), Optional.ofNullable(user), Optional.ofNullable(passwordEnv));
  }
}
