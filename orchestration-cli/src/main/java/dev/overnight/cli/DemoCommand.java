package dev.overnight.cli;

import dev.overnight.api.TimeSource;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.Permissions;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.config.SandboxMode;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.config.ConfigWriter;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.time.CompressedTimeSource;
import dev.overnight.core.time.SystemTimeSource;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.fakes.ScriptedAgent;
import dev.overnight.fakes.ScriptedAgentScripts;
import dev.overnight.fakes.ScriptedCheckerProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code overnight demo}: a compressed night on a temporary git repository with the bundled
 * scripted ACP agent and the embedded SQLite store — no account, no key.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run a compressed night (01:00-03:00 in about a minute, or at once with --fast) on a temporary",
      "git repository, with a bundled scripted ACP agent and the embedded SQLite store: no account,",
      "no key. Prints the timeline as it happens and the dashboard's address."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--fast",
      description = "Run on virtual time: the night passes as fast as the agents work.")
  boolean fast;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "Where to put the demo: a new or empty folder (default: a new temporary folder).")
  Path dir;

  @Option(
      names = "--force",
      description = "Reuse a --dir an earlier demo made, deleting what it left there.")
  boolean force;

  /** Marks a folder a demo made, the only non-empty folder --force may clear. */
  static final String MARKER = ".overnight-demo";

  @Option(names = "--no-dashboard", description = "Do not serve the dashboard.")
  boolean noDashboard;

  @Option(
      names = "--port",
      paramLabel = "N",
      converter = Converters.Port.class,
      description = "Dashboard port (default: a free one).")
  int port;

  @Option(
      names = "--speed",
      paramLabel = "N",
      defaultValue = "120",
      description =
          "How many times faster than real time the night runs (default: ${DEFAULT-VALUE}).")
  long speed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (speed < 1) {
      throw new ParameterException(
          spec.commandLine(), "--speed must be 1 (real time) or more, not " + speed);
    }
    if (dir != null) {
      prepare(dir.toAbsolutePath().normalize());
    }
    Path root =
        (dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("overnight-demo-"))
            .toAbsolutePath();
    Files.writeString(root.resolve(MARKER), "made by overnight demo; --force may clear it\n");
    ZoneId zone = ZoneId.systemDefault();
    Instant realNow = Instant.now();
    Path repo = DemoWorkspace.create(root, realNow);
    String headBefore = new Git(repo).check("rev-parse", "HEAD");
    OrchestrationConfig config = config(repo, root.resolve("state"), zone);
    ConfigWriter.save(config, root.resolve("overnight.json"));
    StatePaths paths = new StatePaths(root.resolve("state"));

    // The night starts ten minutes before 01:00 of the coming night, so start-up never misses
    // 01:00.
    LocalDate night = ZonedDateTime.ofInstant(realNow, zone).toLocalDate().plusDays(1);
    Instant start = ZonedDateTime.of(night, LocalTime.of(0, 50), zone).toInstant();
    Instant end = ZonedDateTime.of(night, LocalTime.of(3, 5), zone).toInstant();

    out.println(TerminalText.line("Overnight demo in " + root));
    out.println(
        TerminalText.line(
            "  repository " + repo + " (uncommitted NOTES.md of yours stays untouched)"));
    out.println(TerminalText.line("  config     " + root.resolve("overnight.json")));
    out.println(
        TerminalText.line(
            "  agent      \""
                + AGENT
                + "\": the bundled scripted ACP agent (a real process speaking ACP)"));
    out.println(
        TerminalText.line(
            "  night      01:00-03:00 every 30 minutes, "
                + (fast ? "on virtual time" : speed + "x faster than real time")));
    out.println();

    Daemon.Options o = new Daemon.Options();
    o.dashboard = !noDashboard;
    o.port = port;
    o.shutdownHook = false;
    o.timeline = new Timeline(out, zone, true);
    // The demo's stand-in constraint: the gate at work, whatever this machine's power or network.
    o.constraintProviders.add(new ScriptedCheckerProvider());
    SystemTimeSource system = null;
    ManualTimeSource manual = null;
    if (fast) {
      manual = new ManualTimeSource(start);
      o.time = manual;
      o.cycleExecutor = Runnable::run;
    } else {
      system = SystemTimeSource.create();
      o.time = new CompressedTimeSource(system, speed, start);
    }
    TimeSource time = o.time;
    try (Daemon daemon = Daemon.open(config, paths, o)) {
      daemon.start();
      daemon
          .dashboard()
          .ifPresent(d -> out.println(TerminalText.line("Dashboard: " + d.url()) + "\n"));
      out.flush();
      if (manual != null) {
        manual.runUntil(end);
      } else {
        waitUntil(time, end);
      }
      daemon.runtime().stop(Duration.ofMinutes(2));
      Path report = daemon.runtime().writeReport();
      out.println();
      out.println("The night is over.");
      List<Task> tasks = QueueCommand.all(daemon.runtime().taskQueue());
      long completed = tasks.stream().filter(t -> t.status() == TaskStatus.COMPLETED).count();
      out.println(TerminalText.line("  tasks      " + completed + " completed of " + tasks.size()));
      String branches =
          new Git(repo).check("branch", "--list", "overnight/*", "--format=%(refname:short)");
      out.println(
          TerminalText.text(
              "  branches   "
                  + (branches.isBlank() ? "(none)" : branches.replace("\n", "\n             "))));
      out.println(
          TerminalText.line(
              "  checkout   "
                  + (new Git(repo).check("rev-parse", "HEAD").equals(headBefore)
                      ? "HEAD unchanged"
                      : "HEAD MOVED")
                  + "; "
                  + new Git(repo).check("status", "--porcelain").replace("\n", ", ")));
      out.println(TerminalText.line("  report     " + report));
      out.println(
          TerminalText.line(
              "  try        overnight status --state-dir "
                  + paths.root()
                  + "   |   overnight queue list --state-dir "
                  + paths.root()));
      out.flush();
    } finally {
      if (system != null) {
        system.close();
      }
    }
    return ExitCodes.OK;
  }

  /**
   * Makes sure the demo never writes into someone's files: {@code --dir} must be new or empty, or,
   * with {@code --force}, a folder an earlier demo made (it is cleared).
   */
  private void prepare(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    if (!Files.isDirectory(folder)) {
      throw new ParameterException(spec.commandLine(), "--dir " + folder + " is not a folder");
    }
    boolean empty;
    try (Stream<Path> entries = Files.list(folder)) {
      empty = entries.findAny().isEmpty();
    }
    if (empty) {
      return;
    }
    if (!Files.exists(folder.resolve(MARKER))) {
      throw new ParameterException(
          spec.commandLine(),
          "--dir "
              + folder
              + " is not empty and was not made by overnight demo: choose a new or empty folder"
              + " (the demo creates a repository and commits in it)");
    }
    if (!force) {
      throw new ParameterException(
          spec.commandLine(),
          "--dir "
              + folder
              + " holds an earlier demo: add --force to clear it, or choose another folder");
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(folder)) {
          Files.delete(p);
        }
      }
    }
  }

  /** The id the bundled scripted agent works under in the demo. */
  static final String AGENT = "scripted";

  static OrchestrationConfig config(Path repo, Path state, ZoneId zone) {
    AgentCommand agent = ScriptedAgent.command("--script-json", ScriptedAgentScripts.DEMO);
    Constraints none = Constraints.none();
    Constraints constraints =
        new Constraints(
            false,
            false,
            false,
            Optional.empty(),
            false,
            false,
            none.idleMinutes(),
            none.onUnknown(),
            none.checkTimeout(),
            none.recheckInterval(),
            Map.of(
                ScriptedCheckerProvider.NAME,
                Map.of("status", "satisfied", "reason", "demo: everyone is asleep")));
    return OrchestrationConfig.builder(ConfigValue.of(repo.toString()))
        .id("demo")
        .schedule(
            Schedule.cron("*/30 1-2 * * *")
                .withWindow(LocalTime.of(1, 0), LocalTime.of(3, 0))
                .withJitterMs(60_000)
                .withOnMissed(MissedRunPolicy.SKIP)
                .withTimezone(zone))
        .constraints(constraints)
        .timeBudgetSec(900)
        .maxConcurrent(2)
        .goals(List.of("Increase test coverage of the most-changed code"))
        .agents(Map.of(AGENT, agent))
        .agentPreferences(new AgentPreferences(List.of(AGENT), List.of(AGENT)))
        .prAutomation(
            new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin"))
        .qualityGate(new QualityGate(Optional.of("test -f hello.txt"), 60, true, 1))
        // The demo needs nothing but Java and git: its agent's commands run in the sandbox where
        // one can be used, and unconfined (with a warning) elsewhere.
        .permissions(
            new Permissions(PermissionMode.UNATTENDED, false, SandboxMode.BEST_EFFORT, false))
        .stateDir(ConfigValue.of(state.toString()))
        .build();
  }

  private static void waitUntil(TimeSource time, Instant end) throws InterruptedException {
    Object monitor = new Object();
    boolean[] done = {false};
    time.schedule(
        end,
        () -> {
          synchronized (monitor) {
            done[0] = true;
            monitor.notifyAll();
          }
        });
    synchronized (monitor) {
      while (!done[0]) {
        monitor.wait();
      }
    }
  }
}
