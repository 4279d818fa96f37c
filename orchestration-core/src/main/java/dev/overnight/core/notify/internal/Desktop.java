package dev.overnight.core.notify.internal;

import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.core.platform.OsFamily;
import java.util.List;
import java.util.Optional;

/**
 * The machine's own way to show a notification, as a command: {@code notify-send} on Linux, {@code
 * osascript} on macOS. Stateless.
 */
public sealed interface Desktop {

  /** The program the command runs, looked up on {@code PATH}. */
  String program();

  /** The arguments that show {@code n}. */
  List<String> arguments(Notification n);

  /** The desktop of an operating system, if Overnight knows how to notify on it. */
  static Optional<Desktop> of(OsFamily os) {
    return switch (os) {
      case LINUX -> Optional.of(new NotifySend());
      case MACOS -> Optional.of(new Osascript());
      default -> Optional.empty();
    };
  }

  /** libnotify's {@code notify-send}: summary and body, critical when a human is needed. */
  record NotifySend() implements Desktop {
    @Override
    public String program() {
      return "notify-send";
    }

    @Override
    public List<String> arguments(Notification n) {
      String urgency = n.kind() == NotificationKind.NEEDS_HUMAN ? "critical" : "normal";
      return List.of("--app-name=Overnight", "--urgency=" + urgency, "--", n.title(), n.text());
    }
  }

  /** AppleScript's {@code display notification}, its strings quoted for AppleScript. */
  record Osascript() implements Desktop {
    @Override
    public String program() {
      return "osascript";
    }

    @Override
    public List<String> arguments(Notification n) {
      return List.of(
          "-e", "display notification " + quoted(n.text()) + " with title " + quoted(n.title()));
    }

    static String quoted(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }
}
