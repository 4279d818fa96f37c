package dev.overnight.api.notify;

/**
 * Delivers {@link Notification}s to one receiver: a webhook, a chat, a phone, a mailbox, the
 * desktop.
 *
 * <p>Overnight calls {@link #send} from one thread of its own, never from an agent's or the
 * scheduler's, so a slow receiver delays only the notifications behind it. {@link #send} may block,
 * but must give up within a bounded time (a few seconds of connecting and waiting) and then throw.
 *
 * @since 0.1.0
 */
public interface Notifier {

  /** Where this notifier sends, for logs, e.g. {@code slack} or {@code webhook #2}; no secrets. */
  String describe();

  /**
   * Delivers one notification.
   *
   * @throws NotificationException if it could not be delivered (logged by the caller, who goes on)
   */
  void send(Notification notification);
}
