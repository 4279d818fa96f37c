package dev.overnight.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code overnight notify}: the configured notifications, by hand.
 *
 * @since 0.1.0
 */
@Command(
    name = "notify",
    description = "Work with the configured notifications by hand.",
    mixinStandardHelpOptions = true,
    subcommands = {NotifyTestCommand.class})
public final class NotifyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: test");
  }
}
