package dev.overnight.core.notify.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationException;
import dev.overnight.api.notify.Notifier;
import dev.overnight.api.notify.NotifierProvider;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.rehearsal.ServiceEnvironment;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code type: desktop}: shows each notification on this machine's desktop through {@link Desktop}
 * ({@code notify-send} on Linux, {@code osascript} on macOS), found on the runtime's {@code PATH}
 * when it sends, and given 10 seconds.
 */
public final class DesktopNotifierProvider implements NotifierProvider {
  /** The type this provider serves. */
  public static final String TYPE = "desktop";

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** For {@link java.util.ServiceLoader}. */
  public DesktopNotifierProvider() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Notifier create(NotifierSettings settings, ProviderContext context) {
    return new DesktopNotifier(
        Desktop.of(OsFamily.current()), context.environment(), CommandRunner.system());
  }

  /** Shows notifications through a desktop's command. */
  static final class DesktopNotifier implements Notifier {
    private final Optional<Desktop> desktop;
    private final Map<String, String> environment;
    private final CommandRunner runner;

    DesktopNotifier(
        Optional<Desktop> desktop, Map<String, String> environment, CommandRunner runner) {
      this.desktop = desktop;
      this.environment = Map.copyOf(environment);
      this.runner = runner;
    }

    @Override
    public String describe() {
      return desktop.map(d -> "desktop through " + d.program()).orElse("desktop");
    }

    @Override
    public void send(Notification n) {
      Desktop d =
          desktop.orElseThrow(
              () ->
                  new NotificationException(
                      "desktop notifications are not supported on " + OsFamily.describeCurrent()));
      List<String> path = List.of(environment.getOrDefault("PATH", "").split(File.pathSeparator));
      Path program =
          ServiceEnvironment.which(d.program(), path)
              .orElseThrow(
                  () ->
                      new NotificationException(
                          d.program()
                              + " is not on the PATH: install it to get desktop notifications"));
      List<String> command = new ArrayList<>();
      command.add(program.toString());
      command.addAll(d.arguments(n));
      CommandResult r = runner.run(command, TIMEOUT);
      if (!r.succeeded()) {
        String why =
            r.failure().isEmpty() ? "exit " + r.exitCode() + ": " + r.tail(3) : r.failure();
        throw new NotificationException(d.program() + " failed: " + why.strip());
      }
    }

    @Override
    public String toString() {
      return describe();
    }
  }
}
