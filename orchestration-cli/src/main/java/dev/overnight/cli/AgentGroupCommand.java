package dev.overnight.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code overnight agent}: work with one agent by hand.
 *
 * @since 0.1.0
 */
@Command(
    name = "agent",
    description = "Work with one agent by hand.",
    mixinStandardHelpOptions = true,
    subcommands = {AgentTryCommand.class})
public final class AgentGroupCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: try");
  }
}
