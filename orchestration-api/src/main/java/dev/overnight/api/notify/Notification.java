package dev.overnight.api.notify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What Overnight tells people: a night's summary, or that a task needs a human. Every notifier gets
 * the same value and renders it in its own format: {@link #title()} and {@link #text()} are ready
 * for a one-line and a plain-text message, {@link #items()} for a structured one.
 *
 * @param kind why it is sent
 * @param attention what a human is needed for; present exactly when {@code kind} is {@link
 *     NotificationKind#NEEDS_HUMAN}
 * @param configId the configuration whose night it is
 * @param at when it was raised
 * @param title one line, e.g. {@code Overnight (default): 3 tasks, 2 completed, 1 failed}
 * @param text the message in plain text, several lines
 * @param items the tasks (or agent) it is about, in the order they ended
 * @param report the morning report's file, when one was written
 * @since 0.1.0
 */
public record Notification(
    NotificationKind kind,
    Optional<Attention> attention,
    String configId,
    Instant at,
    String title,
    String text,
    List<NotificationItem> items,
    Optional<String> report) {

  /** Checks presence and that {@code attention} goes with {@code kind}; copies the items. */
  public Notification {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(attention, "attention");
    Objects.requireNonNull(configId, "configId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
    items = List.copyOf(items);
    Objects.requireNonNull(report, "report");
    if (attention.isPresent() != (kind == NotificationKind.NEEDS_HUMAN)) {
      throw new IllegalArgumentException(
          "a "
              + kind
              + " notification "
              + (attention.isPresent() ? "has no" : "needs an")
              + " attention");
    }
  }
}
