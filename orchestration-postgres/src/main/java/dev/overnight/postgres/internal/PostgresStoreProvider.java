package dev.overnight.postgres.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.store.Store;
import dev.overnight.api.store.StoreProvider;
import dev.overnight.core.time.SystemTimeSource;
import dev.overnight.postgres.PostgresStore;

/**
 * Opens the runtime's store in a PostgreSQL database. Found through {@link
 * java.util.ServiceLoader}; it never wins by default (its order is after SQLite's), since it needs
 * to be told where the database is: a runtime whose config chooses {@code store.kind: postgres}
 * asks for it by name.
 *
 * <p>The URL comes from the environment variable {@code OVERNIGHT_STORE_URL}, the user from {@code
 * OVERNIGHT_STORE_USER} and the password from {@code OVERNIGHT_STORE_PASSWORD}, of the runtime's
 * environment. Task times run on the runtime's clock, leases on the machine's real clock, as in the
 * SQLite store.
 */
public final class PostgresStoreProvider implements StoreProvider {

  /** The environment variable holding the JDBC URL. */
  public static final String URL_VARIABLE = "OVERNIGHT_STORE_URL";

  /** The environment variable holding the user. */
  public static final String USER_VARIABLE = "OVERNIGHT_STORE_USER";

  /** The environment variable holding the password. */
  public static final String PASSWORD_VARIABLE = "OVERNIGHT_STORE_PASSWORD";

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public PostgresStoreProvider() {}

  @Override
  public String name() {
    return "postgres";
  }

  /** After the embedded SQLite store: a database server is chosen, never fallen into. */
  @Override
  public int order() {
    return 100;
  }

  @Override
  public Store open(ProviderContext context) {
    String url = context.environment().get(URL_VARIABLE);
    if (url == null || url.isBlank()) {
      throw new dev.overnight.api.OrchestrationException(
          "The PostgreSQL store needs a database URL: set "
              + URL_VARIABLE
              + " to jdbc:postgresql://<host>:<port>/<database>.");
    }
    PostgresStore.Builder builder =
        PostgresStore.builder(url)
            .defaultMaxAttempts(context.config().maxAttempts())
            .clock(context.timeSource())
            .leaseClock(SystemTimeSource.shared());
    String user = context.environment().get(USER_VARIABLE);
    if (user != null && !user.isBlank()) {
      builder.user(user);
    }
    String password = context.environment().get(PASSWORD_VARIABLE);
    if (password != null) {
      builder.password(password).passwordSource("the environment variable " + PASSWORD_VARIABLE);
    }
    return builder.build();
  }
}
