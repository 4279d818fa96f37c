package dev.overnight.cli;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.store.Store;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.decision.DecisionPlanner;
import dev.overnight.core.doctor.Doctor;
import dev.overnight.core.rehearsal.NightPlan;
import dev.overnight.core.rehearsal.Rehearsal;
import dev.overnight.core.rehearsal.RehearsalReport;
import dev.overnight.core.rehearsal.ServiceEnvironment;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.Discovery;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.time.SystemTimeSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight rehearse}: a bedtime rehearsal. Checks, in the context the installed service
 * will have (its unit's or plist's environment, {@code PATH} and working folder; this shell's when
 * none is installed), everything a night needs, without prompting any agent, and prints each
 * problem with the fix to apply, as text or, with {@code --json}, as JSON.
 *
 * <p>Exit code 0 only when a night would run; 1 when something would stop it (including "this
 * config will never run here"); 2 when the configuration cannot be read.
 *
 * @since 0.1.0
 */
@Command(
    name = "rehearse",
    mixinStandardHelpOptions = true,
    description = {
      "Rehearse tonight in the installed service's context, without prompting any agent: each"
          + " allowed agent started and logged in, gh and a dry-run push, disk, a scratch"
          + " worktree with the setup command, permissions, sandbox, constraints, the projected"
          + " cost against the night's limits.",
      "Exit code 0 only when a night would run; every problem is printed with its fix."
    })
public final class RehearseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOptions state;

  @Option(names = "--json", description = "Print the rehearsal as JSON.")
  boolean json;

  @Option(
      names = "--service",
      paramLabel = "FILE",
      description =
          "The systemd unit or launchd plist to rehearse against (default: the one"
              + " install-service writes for this config).")
  Path serviceFile;

  private final Map<String, String> processEnvironment;
  private final ProviderLoader loader;

  /** The command as the {@code overnight} launcher builds it. */
  public RehearseCommand() {
    this(System.getenv(), ProviderLoader.standard());
  }

  /**
   * The command with this process's environment and the provider loader given.
   *
   * @param processEnvironment what this shell has, compared with the service's in fixes
   * @param loader discovers agents, checkers and keep-awake
   */
  RehearseCommand(Map<String, String> processEnvironment, ProviderLoader loader) {
    this.processEnvironment = Map.copyOf(processEnvironment);
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  @Override
  public Integer call() throws IOException {
    OrchestrationConfig config = state.requireConfig();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StatePaths paths = state.paths(config);
    Path definition =
        serviceFile != null
            ? serviceFile.toAbsolutePath()
            : ServiceCommands.definition(config, state.configFile, state.stateDir).file();
    ServiceEnvironment service =
        InstalledService.read(definition, processEnvironment, Path.of("").toAbsolutePath());

    ProviderContext context =
        ProviderContext.builder(config)
            .timeSource(SystemTimeSource.shared())
            .stateDirectory(paths.root())
            .environment(service.variables())
            .homeDirectory(
                Path.of(
                    service.variables().getOrDefault("HOME", System.getProperty("user.home", "."))))
            .build();
    Discovery discovery = Discovery.builder(context).loader(loader).build();
    discovery.problems().forEach(p -> err.println(TerminalText.line("warning: " + p)));

    List<Task> history = new ArrayList<>();
    List<QuotaWindow> quota = new ArrayList<>();
    int pending = 0;
    if (Files.isRegularFile(paths.database())) {
      try (Store store = OvernightRuntime.openStore(config, paths)) {
        Page<Task> p = store.taskQueue().list(TaskFilter.withStatus(TaskStatus.PENDING).page(0, 1));
        pending = (int) Math.min(Integer.MAX_VALUE, p.total());
        history.addAll(
            store
                .taskQueue()
                .list(TaskFilter.withStatus(TaskStatus.COMPLETED).page(0, TaskFilter.MAX_LIMIT))
                .items());
        quota.addAll(store.schedulerStateStore().quotaWindows());
      } catch (RuntimeException e) {
        err.println(TerminalText.line("rehearse: could not read " + paths.database() + ": " + e));
      }
    }
    NightPlan plan = plan(config, discovery, pending, err);

    RehearsalReport report =
        Rehearsal.builder(config, state.configFile.toAbsolutePath().toString())
            .service(service)
            .processEnvironment(processEnvironment)
            .agentProviders(discovery.agents())
            .doctor(
                Doctor.builder()
                    .checkerProviders(discovery.constraintCheckers().all())
                    .keepAwakeProviders(discovery.keepAwakeProviders())
                    .wakeSchedulerProviders(discovery.wakeSchedulerProviders()))
            .stateDir(paths.root())
            .plan(plan)
            .history(history)
            .quotaWindows(quota)
            .build()
            .run();
    out.print(json ? report.toJson() : TerminalText.text(report.toText()));
    out.flush();
    return report.nightWouldRun() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  /** The queue's pending tasks, or with an empty queue, what the decision engine would propose. */
  private static NightPlan plan(
      OrchestrationConfig config, Discovery discovery, int pending, PrintWriter err) {
    if (pending > 0) {
      return new NightPlan(
          pending, pending + (pending == 1 ? " pending task" : " pending tasks") + " in the queue");
    }
    try {
      Optional<Decision> next =
          new DecisionPlanner(discovery.decisionEngine())
              .plan(
                  DecisionInputs.builder(config, discovery.context().timeSource())
                      .historySources(discovery.historySources())
                      .agents(discovery.agentAvailability())
                      .build())
              .explanation()
              .runnableDecision();
      return next.map(d -> new NightPlan(1, "the queue is empty; the next decision: " + d.title()))
          .orElseGet(
              () ->
                  new NightPlan(0, "the queue is empty and the decision engine proposes nothing"));
    } catch (RuntimeException e) {
      err.println(TerminalText.line("rehearse: could not plan tonight: " + e.getMessage()));
      return new NightPlan(0, "tonight's plan could not be made: " + e.getMessage());
    }
  }
}
