package dev.overnight.cli;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.core.runtime.StateInUseException;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.schedule.ConstraintGateResult;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight once}: one cycle now. Exits with {@link ExitCodes#FAILURE} when the cycle
 * attempted work and completed none (every task failed, or its agent did not start), or when no
 * agent was available to work, saying why in one line.
 *
 * @since 0.1.0
 */
@Command(
    name = "once",
    mixinStandardHelpOptions = true,
    description = "Run one cycle now, outside the schedule and window, and print what happened.")
public final class OnceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOptions state;

  @Option(
      names = "--ignore-constraints",
      description = "Run even if constraints are not satisfied.")
  boolean ignoreConstraints;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    OrchestrationConfig config = state.requireConfig();
    StatePaths paths = state.paths(config);
    Daemon.Options o = new Daemon.Options();
    o.dashboard = false;
    o.shutdownHook = false;
    o.timeline = new Timeline(out, config.schedule().zoneOrDefault(), true);
    Daemon daemon;
    try {
      daemon = Daemon.open(config, paths, o);
    } catch (StateInUseException e) {
      spec.commandLine().getErr().println("error: " + TerminalText.line(e.getMessage()));
      return ExitCodes.STATE_IN_USE;
    }
    try (daemon) {
      if (!ignoreConstraints) {
        ConstraintGateResult r = daemon.runtime().checkConstraints();
        for (Map.Entry<String, ConstraintResult> e : r.results().entrySet()) {
          out.println(TerminalText.line("constraint " + e.getKey() + ": " + e.getValue()));
        }
        if (!r.satisfied()) {
          out.println(
              "Constraints are not satisfied; not running (--ignore-constraints runs anyway).");
          return ExitCodes.FAILURE;
        }
      }
      OnceOutcome outcome = new OnceOutcome();
      try (var subscription = daemon.runtime().subscribe(outcome)) {
        daemon.runtime().runOnce();
      }
      out.println(TerminalText.line("Report: " + daemon.runtime().writeReport()));
      out.flush();
      Optional<String> failure = outcome.failure();
      if (failure.isPresent()) {
        spec.commandLine().getErr().println("error: " + TerminalText.line(failure.get()));
        return ExitCodes.FAILURE;
      }
    }
    return ExitCodes.OK;
  }
}
