package dev.overnight.api.notify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a notification is sent: a night ended, a task needs a human, or a pipeline step has something
 * to say. A notifier in the config receives the kinds its {@code on} list names (all of them by
 * default).
 *
 * @since 0.1.0
 */
public enum NotificationKind {
  /** One message at the end of a night, summarising every task it ran. */
  NIGHT_ENDED,
  /** A task, or the agent it needs, cannot go on without someone: see {@link Attention}. */
  NEEDS_HUMAN,
  /** A message a pipeline's {@code notify} step sends, as its manifest wrote it. */
  PIPELINE;

  /** The kind as JSON and the config write it, e.g. {@code night_ended}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind of a {@link #key()}, if it is one. */
  public static Optional<NotificationKind> parse(String key) {
    return Arrays.stream(values()).filter(k -> k.key().equals(key)).findFirst();
  }

  @Override
  public String toString() {
    return key();
  }
}
