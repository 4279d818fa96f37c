package dev.overnight.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code overnight} command: runs coding agents unattended on your repository overnight. */
@Command(
    name = "overnight",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs coding agents unattended on your repository while you sleep.",
    subcommands = {
      RunCommand.class,
      OnceCommand.class,
      DemoCommand.class,
      StatusCommand.class,
      PlanCommand.class,
      QueueCommand.class,
      EnqueueCommand.class,
      FleetCommand.class,
      ReportCommand.class,
      CleanupCommand.class,
      ScheduleGroupCommand.class,
      ConfigCommand.class,
      DoctorCommand.class,
      RehearseCommand.class,
      AgentGroupCommand.class,
      PipelineCommand.class,
      NotifyCommand.class,
      CatalogCommand.class,
      ServeCommand.class,
      ServiceCommands.Install.class,
      ServiceCommands.Uninstall.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a check found a problem, or the work failed; rehearse: no night would run",
      "2:bad input: the command line, a task id, or the config file (missing or invalid)",
      "3:the state folder is used by another daemon; agent try: the agent cannot run here",
      "4:agent try: the agent failed (crash, protocol error, usage limit, timeout)"
    },
    footer = {"", "Docs: docs/ in the repository. Start with: overnight config init"})
public final class OvernightCommand implements Runnable {

  @Spec CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log what Overnight does (INFO).",
      scope = picocli.CommandLine.ScopeType.INHERIT)
  boolean verbose;

  @Option(
      names = "--debug",
      description = "Log everything (DEBUG) and print stack traces.",
      scope = picocli.CommandLine.ScopeType.INHERIT)
  boolean debug;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command");
  }
}
