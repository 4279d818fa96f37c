package dev.overnight.cli;

import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.store.Store;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.conflict.OverlapPlan;
import dev.overnight.core.conflict.OverlapPredictor;
import dev.overnight.core.coordinator.PullRequestFollowUps;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.decision.DecisionPlanner;
import dev.overnight.core.decision.PlanReport;
import dev.overnight.core.decision.UpcomingWork;
import dev.overnight.core.queue.OpHashes;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.Discovery;
import dev.overnight.core.worktree.Git;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight plan}: what {@code once} would work on next, and with {@code --explain} why the
 * decision engine would propose it. The state folder's queue comes first, as a cycle takes it:
 * tasks running now, pending tasks in claim order, then the engine's proposals; work the queue has
 * seen (done, running, waiting, cancelled) is never proposed again, and {@code --count N} lists the
 * next N in order. Runs nothing and changes nothing: it reads the git history with read-only
 * commands and the session histories, and asks the agents whether they are available — the same
 * engine, sources and agents a runtime of the config would use.
 *
 * @since 0.1.0
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
      names = "--count",
      paramLabel = "N",
      description =
          "List the next N tasks once would take, in order: pending tasks first, then what the"
              + " engine would propose (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int count;

  /** More than a night could run, and each proposal costs the engine a decision. */
  static final int MAX_COUNT = 50;

  @Option(
      names = "--as-of",
      paramLabel = "INSTANT",
      converter = SchedulePreviewCommand.InstantConverter.class,
      description =
          "Decide as if it were this instant (ISO-8601, e.g. 2025-01-31T00:00:00Z): later commits"
              + " and sessions are ignored.")
  Instant asOf;

  @Option(
      names = "--engine",
      paramLabel = "NAME",
      description =
          "Decide with this engine for this run instead of the config's decision.engine:"
              + " heuristic, evidence, agent, or a plugin's.")
  String engineName;

  @Override
  public Integer call() {
    if (count < 1 || count > MAX_COUNT) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--count must be between 1 and " + MAX_COUNT + ", not " + count);
    }
    OrchestrationConfig cfg = ConfigLoader.standard().load(config);
    StatePaths paths = StatePaths.of(Optional.empty(), cfg);
    if (engineName != null) {
      Set<String> names = OvernightRuntime.discover(cfg, paths).decisionEngineNames();
      if (!names.contains(engineName)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--engine "
                + engineName
                + " is not a decision engine (known: "
                + String.join(", ", names)
                + ")");
      }
      cfg = cfg.toBuilder().decision(cfg.decision().withEngine(engineName)).build();
    }
    Discovery discovery = OvernightRuntime.discover(cfg, paths);
    discovery
        .problems()
        .forEach(p -> spec.commandLine().getErr().println(TerminalText.line("warning: " + p)));
    Queue queue = Queue.read(cfg, paths);
    DecisionEngine engine = discovery.decisionEngine();
    DecisionInputs.Builder inputs =
        DecisionInputs.builder(cfg, discovery.context().timeSource())
            .historySources(discovery.historySources())
            .agents(discovery.agentAvailability())
            .finishedOpHashes(queue.taken());
    if (engine.usesCandidates()) {
      inputs.candidateSources(discovery.candidateSources());
    }
    if (asOf != null) {
      inputs.asOf(asOf);
    }
    PlanReport plan = new DecisionPlanner(engine).plan(inputs.build());
    UpcomingWork upcoming = UpcomingWork.plan(queue.live(), engine, plan.context(), count);
    PrintWriter out = spec.commandLine().getOut();
    // Only what the queue adds is new: with nothing queued and one task asked for, the plan reads
    // as the engine's decision alone.
    boolean list = count > 1 || !upcoming.running().isEmpty() || !upcoming.queued().isEmpty();
    if (json) {
      out.print(plan.toJson());
    } else if (explain) {
      if (list) {
        out.println("What once would take next, in order:");
        out.println(TerminalText.text(upcoming.toText()));
        OverlapPlan overlaps = overlaps(cfg, upcoming);
        if (!overlaps.isEmpty()) {
          out.println(
              "Predicted to touch the same files (conflicts.overlap: "
                  + cfg.conflicts().overlap().key()
                  + "):");
          out.print(TerminalText.text(overlaps.toText()));
          if (cfg.conflicts().overlap() == ConflictSettings.Overlap.STACK) {
            out.println(
                "A task stacked on one that fails or is cancelled starts from the base instead,"
                    + " its pull request based on the base.");
          }
          out.println();
        }
        out.println("Why the engine would propose what follows the queue:");
      }
      out.print(TerminalText.text(plan.toText()));
      PullRequestFollowUps.inDayNote(cfg)
          .ifPresent(note -> out.println(TerminalText.line("In the day: " + note)));
    } else {
      if (list) {
        out.print(
            TerminalText.text(
                upcoming.isEmpty() ? plan.explanation().summary() + "\n" : upcoming.toText()));
      } else {
        out.println(TerminalText.line(plan.explanation().summary()));
      }
      out.println(
          TerminalText.line("(overnight plan --explain --config " + config + " shows why)"));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * Which upcoming work would wait for (or stack on) earlier work it is predicted to overlap; none
   * when the history cannot be read, which a plan only mentions.
   */
  private OverlapPlan overlaps(OrchestrationConfig cfg, UpcomingWork upcoming) {
    try {
      OverlapPredictor predictor =
          OverlapPredictor.of(
              new Git(cfg.workspaceRoot().path()), cfg.conflicts().historyCommits());
      return OverlapPlan.of(
          predictor,
          cfg.conflicts().overlap(),
          upcoming.running(),
          upcoming.queued(),
          upcoming.proposed());
    } catch (RuntimeException e) {
      spec.commandLine()
          .getErr()
          .println(
              TerminalText.line("warning: cannot predict overlapping tasks: " + e.getMessage()));
      return new OverlapPlan(cfg.conflicts().overlap(), List.of());
    }
  }

  /**
   * The queue of the config's state folder, read without changing it: nothing at all when the
   * folder has no database yet (plan creates no state).
   */
  private record Queue(List<Task> live, Set<String> taken) {
    static Queue read(OrchestrationConfig cfg, StatePaths paths) {
      if (!Files.exists(paths.database())) {
        return new Queue(List.of(), Set.of());
      }
      try (Store store = OvernightRuntime.openStore(cfg, paths)) {
        TaskQueue queue = store.taskQueue();
        List<Task> live =
            queue
                .list(
                    TaskFilter.withStatus(TaskStatus.PENDING, TaskStatus.IN_PROGRESS)
                        .page(0, TaskFilter.MAX_LIMIT))
                .items();
        return new Queue(live, OpHashes.taken(queue));
      }
    }
  }
}
