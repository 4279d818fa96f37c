package dev.overnight.core.notify;

import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.notify.Notifier;
import java.util.Objects;

/**
 * A notifier and the config entry it was created for (which kinds it receives, its JSON path).
 *
 * @param settings the config entry
 * @param notifier what sends
 * @since 0.1.0
 */
public record ConfiguredNotifier(NotifierSettings settings, Notifier notifier) {
  /** Checks presence. */
  public ConfiguredNotifier {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(notifier, "notifier");
  }

  /** The entry's path and what the notifier says of itself, for logs. */
  public String describe() {
    return settings.path() + " (" + notifier.describe() + ")";
  }
}
