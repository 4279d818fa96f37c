package dev.overnight.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code overnight schedule}: what a schedule means.
 *
 * @since 0.1.0
 */
@Command(
    name = "schedule",
    description = "Show when a configuration's cycles will run.",
    mixinStandardHelpOptions = true,
    subcommands = {SchedulePreviewCommand.class})
public final class ScheduleGroupCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: preview");
  }
}
