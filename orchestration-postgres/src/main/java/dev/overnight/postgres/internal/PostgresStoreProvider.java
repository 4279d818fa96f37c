package dev.overnight.postgres.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.StoreSettings;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.store.Store;
import dev.overnight.api.store.StoreProvider;
import dev.overnight.core.time.SystemTimeSource;
import dev.overnight.postgres.PostgresStore;

/**
 * Opens the runtime's store in the PostgreSQL database the config's {@code store} names: {@code
 * {"kind": "postgres", "url": ..., "user": ..., "password_env": ...}}, the password read from the
 * runtime's environment, never from the file, with the timeouts the config gives ({@code
 * connect_timeout_ms}, {@code statement_timeout_ms}, {@code socket_timeout_ms}, {@code
 * lock_timeout_ms}) and the store's defaults for the rest. Found through {@link
 * java.util.ServiceLoader}; its order puts it after SQLite, so it is chosen by {@code store.kind},
 * never fallen into. Task times run on the runtime's clock, leases on the machine's real clock, as
 * in the SQLite store.
 */
public final class PostgresStoreProvider implements StoreProvider {

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public PostgresStoreProvider() {}

  @Override
  public String name() {
    return StoreSettings.POSTGRES;
  }

  /** After the embedded SQLite store: a database server is chosen, never fallen into. */
  @Override
  public int order() {
    return 100;
  }

  /**
   * {@inheritDoc}
   *
   * @throws TaskQueueException naming what to fix: no URL in the config, a password variable that
   *     is not set, or whatever keeps the database from being used (see {@link PostgresStore})
   */
  @Override
  public Store open(ProviderContext context) {
    StoreSettings settings =
        context
            .config()
            .store()
            .filter(s -> s.kind().equals(StoreSettings.POSTGRES))
            .orElseThrow(
                () ->
                    new TaskQueueException(
                        "The PostgreSQL store needs to know where the database is: set store"
                            + " to {\"kind\": \"postgres\", \"url\":"
                            + " \"jdbc:postgresql://<host>:<port>/<database>\", \"user\": ...,"
                            + " \"password_env\": ...} in the config."));
    String url =
        settings
            .url()
            .orElseThrow(
                () ->
                    new TaskQueueException(
                        "store.url is missing: set it to"
                            + " jdbc:postgresql://<host>:<port>/<database>."));
    PostgresStore.Builder builder =
        PostgresStore.builder(url)
            .defaultMaxAttempts(context.config().maxAttempts())
            .clock(context.timeSource())
            .leaseClock(SystemTimeSource.shared());
    settings.user().ifPresent(builder::user);
    settings.timeouts().connect().ifPresent(builder::connectTimeout);
    settings.timeouts().statement().ifPresent(builder::statementTimeout);
    settings.timeouts().socket().ifPresent(builder::socketTimeout);
    settings.timeouts().lock().ifPresent(builder::lockTimeout);
    if (settings.passwordEnv().isPresent()) {
      String variable = settings.passwordEnv().get();
      String password = context.environment().get(variable);
      if (password == null) {
        throw new TaskQueueException(
            "store.password_env names the environment variable "
                + variable
                + ", which is not set for this process: set it to the database password (the"
                + " password never goes in the config file).");
      }
      builder.password(password).passwordSource("the environment variable " + variable);
    }
    return builder.build();
  }
}
