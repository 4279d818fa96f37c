package dev.overnight.api.config;

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
 * @since 0.1.0
 */
public record StoreSettings(
    String kind, Optional<String> url, Optional<String> user, Optional<String> passwordEnv) {

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
