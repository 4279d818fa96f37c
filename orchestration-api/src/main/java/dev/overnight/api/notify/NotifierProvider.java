package dev.overnight.api.notify;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.NotifierSettings;

/**
 * ServiceLoader SPI that creates a {@link Notifier} for each entry of the config's {@code
 * notifications} list whose {@code type} is this provider's {@link #type()}. Overnight's own are
 * {@code webhook}, {@code slack}, {@code ntfy}, {@code desktop} (in core) and {@code email} (in
 * orchestration-mail).
 *
 * <p>Secrets never stand in the config: settings name the environment variables that hold them
 * ({@code url_env}, {@code token_env}, {@code password_env}), read from {@link
 * ProviderContext#environment()}.
 *
 * <p>Implementations must have a public no-argument constructor and be cheap to construct.
 *
 * @since 0.1.0
 */
public interface NotifierProvider {

  /** The {@code type} it serves, e.g. {@code slack}. */
  String type();

  /** Precedence between two providers of one type; lower wins. */
  default int order() {
    return 0;
  }

  /**
   * Creates the notifier of one config entry.
   *
   * @throws dev.overnight.api.config.ConfigException if its settings cannot work (a variable they
   *     name is not set), naming the entry's JSON path
   */
  Notifier create(NotifierSettings settings, ProviderContext context);
}
