package dev.overnight.cli;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.decision.DecisionPlanner;
import dev.overnight.core.decision.PlanReport;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.Discovery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight plan}: what the decision engine would pick next, and with {@code --explain} why.
 * Runs nothing and changes nothing: it reads the git history with read-only commands and the
 * session histories, and asks the agents whether they are available — the same engine, sources and
 * agents a runtime of the config would use.
 */
@Command(
    name = "plan",
    description = {
      "Show what would run next and why, without running anything or changing the repository.",
      "The decision reads the workspace's git history, past agent sessions, goals and focus."
    },
    mixinStandardHelpOptions = true)
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The config file (default: ${DEFAULT-VALUE}).",
      defaultValue = "overnight.json")
  Path config;

  @Option(
      names = "--explain",
      description = "Show the task, file, agent, signals with their weights, and the inputs read.")
  boolean explain;

  @Option(
      names = "--json",
      description =
          "Print the whole plan as JSON, with every proposal's kind, files, title, prompt,"
              + " confidence, signals and evidence.")
  boolean json;

  @Option(
      names = "--as-of",
      paramLabel = "INSTANT",
      converter = SchedulePreviewCommand.InstantConverter.class,
      description =
          "Decide as if it were this instant (ISO-8601, e.g. 2025-01-31T00:00:00Z): later commits"
              + " and sessions are ignored.")
  Instant asOf;

  @Override
  public Integer call() {
    OrchestrationConfig cfg = ConfigLoader.standard().load(config);
    Discovery discovery = OvernightRuntime.discover(cfg, StatePaths.of(Optional.empty(), cfg));
    discovery
        .problems()
        .forEach(p -> spec.commandLine().getErr().println(TerminalText.line("warning: " + p)));
    DecisionEngine engine = discovery.decisionEngine();
    DecisionInputs.Builder inputs =
        DecisionInputs.builder(cfg, discovery.context().timeSource())
            .historySources(discovery.historySources())
            .agents(discovery.agentAvailability());
    if (engine.usesCandidates()) {
      inputs.candidateSources(discovery.candidateSources());
    }
    if (asOf != null) {
      inputs.asOf(asOf);
    }
    PlanReport plan = new DecisionPlanner(engine).plan(inputs.build());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(plan.toJson());
    } else if (explain) {
      out.print(TerminalText.text(plan.toText()));
    } else {
      out.println(TerminalText.line(plan.explanation().summary()));
      out.println(
          TerminalText.line("(overnight plan --explain --config " + config + " shows why)"));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
