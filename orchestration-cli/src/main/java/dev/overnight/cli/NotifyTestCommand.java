package dev.overnight.cli;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.core.notify.ConfiguredNotifier;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.secrets.Redactor;
import dev.overnight.core.spi.Discovery;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.time.SystemTimeSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code overnight notify test}: sends one test message through every configured notifier, in the
 * config's order, and prints each one's result. Exits non-zero when any failed, or when an entry
 * cannot be made (a variable it names is not set).
 *
 * @since 0.1.0
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Send one test message through every notifier of the config's notifications and print"
          + " each one's result.",
      "Exits non-zero when any of them failed."
    })
public final class NotifyTestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOptions state;

  private final Map<String, String> environment;
  private final ProviderLoader loader;

  /** The command as the {@code overnight} launcher builds it. */
  public NotifyTestCommand() {
    this(System.getenv(), ProviderLoader.standard());
  }

  /**
   * The command with the environment the notifiers read their secrets from, and the loader that
   * finds their providers.
   */
  NotifyTestCommand(Map<String, String> environment, ProviderLoader loader) {
    this.environment = Map.copyOf(environment);
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  @Override
  public Integer call() {
    OrchestrationConfig config = state.requireConfig();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (config.notifications().isEmpty()) {
      out.println("No notifiers: the config's notifications list is empty.");
      return ExitCodes.OK;
    }
    StatePaths paths = state.paths(config);
    ProviderContext context =
        ProviderContext.builder(config)
            .timeSource(SystemTimeSource.shared())
            .stateDirectory(paths.root())
            .environment(environment)
            .homeDirectory(
                Path.of(environment.getOrDefault("HOME", System.getProperty("user.home", "."))))
            .build();
    List<ConfiguredNotifier> notifiers;
    try {
      notifiers = Discovery.builder(context).loader(loader).build().notifiers();
    } catch (ConfigException e) {
      e.problems().forEach(p -> err.println(TerminalText.line("failed " + p)));
      return ExitCodes.FAILURE;
    }
    Redactor redactor = Redactor.forConfig(config, environment);
    Notification message = message(config, Instant.now());
    int failed = 0;
    for (ConfiguredNotifier n : notifiers) {
      try {
        n.notifier().send(message);
        out.println(TerminalText.line("sent   " + n.describe()));
      } catch (RuntimeException e) {
        failed++;
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        out.println(TerminalText.line("failed " + n.describe() + ": " + redactor.redact(why)));
      }
    }
    out.println(
        failed == 0
            ? "Every notifier sent the test message."
            : failed + " of " + notifiers.size() + " notifiers failed.");
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  /** The test message: a night's kind, so every receiver formats it as it would a real one. */
  static Notification message(OrchestrationConfig config, Instant at) {
    return new Notification(
        NotificationKind.NIGHT_ENDED,
        Optional.empty(),
        config.id(),
        at,
        "Overnight test message",
        "This is a test from overnight notify test for " + config.id() + ": this notifier works.",
        List.of(),
        Optional.empty());
  }
}
