package dev.overnight.core.rehearsal;

import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.PermissionPolicy;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Permissions;
import dev.overnight.api.config.SandboxMode;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.api.queue.Task;
import dev.overnight.core.coordinator.PullRequestFollowUps;
import dev.overnight.core.doctor.Doctor;
import dev.overnight.core.doctor.DoctorReport;
import dev.overnight.core.doctor.DoctorReport.CheckerReport;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.rehearsal.RehearsalFinding.Severity;
import dev.overnight.core.rehearsal.internal.AgentProbes;
import dev.overnight.core.rehearsal.internal.DiskCheck;
import dev.overnight.core.rehearsal.internal.EnvironmentHints;
import dev.overnight.core.rehearsal.internal.GhCheck;
import dev.overnight.core.rehearsal.internal.InServiceCommands;
import dev.overnight.core.rehearsal.internal.ProgramsCheck;
import dev.overnight.core.rehearsal.internal.ScratchWorktree;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.schedule.ScheduleTimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * The bedtime rehearsal: checks, in the context the installed service will have (its environment,
 * {@code PATH} and working folder), everything a night needs, without prompting any agent, and says
 * whether a night would run and, for each problem, the fix.
 *
 * <p>In order: the context itself; the programs the night runs, on the service's {@code PATH}; the
 * doctor's checks of this machine (constraints now and whether they can ever pass, the sandbox,
 * keep-awake, the state folder), run in the same context, with its verdict "this config will never
 * run here"; disk for worktrees; a scratch worktree made and the setup command run in it, then
 * removed (detached: no branch is left); each allowed agent started, initialized, authenticated and
 * a session opened ({@link AgentProvider#probe}); gh and a dry-run push when pull requests are on;
 * the permission mode that applies without a terminal; tonight's projected cost against the night's
 * limits, and each agent's remaining quota when known.
 *
 * <p>Immutable once built. {@link #run()} blocks for as long as the checks take (agent start-ups,
 * git, the setup command: each bounded) and never throws for what it finds. It leaves nothing
 * behind but the worktrees folder, which the first night would make anyway: the scratch worktree is
 * removed, no branch is made, nothing is pushed, no agent is prompted.
 *
 * @since 0.1.0
 */
public final class Rehearsal {
  private final Builder b;

  private Rehearsal(Builder b) {
    this.b = b;
  }

  /** Starts a rehearsal of {@code config}; every other part has a documented default. */
  public static Builder builder(OrchestrationConfig config, String configSource) {
    return new Builder(config, configSource);
  }

  /** Rehearses a night. */
  public RehearsalReport run() {
    Instant at = b.clock.instant();
    OrchestrationConfig config = b.config;
    ServiceEnvironment service = b.service;
    List<RehearsalFinding> out = new ArrayList<>();
    context(out);
    CommandRunner inService = new InServiceCommands(b.commands, service, b.processEnvironment);
    EnvironmentHints hints = new EnvironmentHints(service, b.processEnvironment);
    new ProgramsCheck(config, service, hints).run(out);

    DoctorReport doctor =
        b.doctor
            .config(config, b.configSource)
            .agentProviders(b.agents)
            .commandRunner(inService)
            .stateDir(b.stateDir)
            .clock(b.clock)
            .build()
            .run();
    fold(doctor, at, out);
    wake(doctor.wake(), out);

    StatePaths paths = new StatePaths(b.stateDir);
    boolean disk =
        new DiskCheck(paths.worktrees(), config.worktree().maxDiskMb(), b.freeSpace).run(out);
    List<String> allowed;
    Optional<ScratchWorktree> scratch = Optional.empty();
    Optional<Path> made = Optional.empty();
    Optional<Path> spare = Optional.empty();
    try {
      if (disk) {
        ScratchWorktree s =
            new ScratchWorktree(
                config, paths.worktrees().resolve("rehearsal-" + at.toEpochMilli()), inService);
        scratch = Optional.of(s);
        made = s.create(out);
      }
      if (made.isEmpty()) {
        spare = Optional.of(spareFolder());
      }
      Path folder = made.isPresent() ? made.get() : spare.orElseThrow();
      allowed =
          new AgentProbes(b.agents, config.agentPreferences(), hints, this::probeRequest)
              .run(folder, out);
    } finally {
      if (made.isPresent()) {
        scratch.orElseThrow().remove(out);
      }
      spare.ifPresent(Rehearsal::deleteTree);
    }

    new GhCheck(config, service, inService, hints).run(out);
    permissions(doctor, out);
    CostProjection cost =
        CostProjection.of(
            b.plan,
            b.history,
            config.limits().perNight(),
            allowed,
            b.quotaWindows,
            at,
            capacity(at));
    cost(cost, out);
    return new RehearsalReport(at, b.configSource, service, out, doctor, cost);
  }

  /** The agent time of the night ahead: its cycles in the next day, each within its budget. */
  private CostProjection.NightCapacity capacity(Instant at) {
    int cycles;
    try {
      cycles =
          ScheduleTimes.of(b.config.schedule())
              .between(at, at.plus(Duration.ofDays(1)), 1440)
              .size();
    } catch (RuntimeException e) {
      return CostProjection.NightCapacity.unknown(); // the doctor reports the schedule
    }
    return new CostProjection.NightCapacity(
        cycles, b.config.timeBudgetSec(), b.config.maxConcurrent());
  }

  private void context(List<RehearsalFinding> out) {
    ServiceEnvironment service = b.service;
    if (service.installed()) {
      out.add(
          RehearsalFinding.ok("service", "rehearsed in the context of the " + service.source()));
    } else {
      out.add(
          RehearsalFinding.warning(
              "service",
              "no installed service found: rehearsed in this shell's environment, which a service"
                  + " does not start with",
              "run `overnight install-service --config "
                  + b.configSource
                  + "`, then rehearse again"));
    }
    if (!Files.isDirectory(service.workingDirectory())) {
      out.add(
          RehearsalFinding.problem(
              "service",
              "the service's working folder " + service.workingDirectory() + " does not exist",
              service
                  .definitionFile()
                  .map(f -> "create it, or correct WorkingDirectory in " + f)
                  .orElse("create it")));
    }
  }

  /** The doctor's findings, as the rehearsal's; gh is the rehearsal's own to judge. */
  private void fold(DoctorReport doctor, Instant at, List<RehearsalFinding> out) {
    for (String reason : doctor.neverRuns()) {
      int fix = reason.lastIndexOf("; fix: ");
      out.add(
          fix < 0
              ? RehearsalFinding.problem(
                  DoctorReport.NEVER_RUNS, reason, "change the configuration as it says")
              : RehearsalFinding.problem(
                  DoctorReport.NEVER_RUNS,
                  reason.substring(0, fix),
                  reason.substring(fix + "; fix: ".length())));
    }
    for (String p : doctor.problems()) {
      if (!p.startsWith(DoctorReport.NEVER_RUNS) && !p.startsWith("gh ")) {
        out.add(RehearsalFinding.fromDoctor(Severity.PROBLEM, p));
      }
    }
    for (String w : doctor.warnings()) {
      if (!w.startsWith("gh ")) {
        out.add(RehearsalFinding.fromDoctor(Severity.WARNING, w));
      }
    }
    List<CheckerReport> enabled =
        doctor.checkers().stream().filter(CheckerReport::enabled).toList();
    if (enabled.isEmpty()) {
      out.add(
          RehearsalFinding.ok(
              "constraints", "none enabled: cycles run whenever the schedule fires"));
    }
    for (CheckerReport c : enabled) {
      if (c.status() == ConstraintStatus.SATISFIED) {
        out.add(RehearsalFinding.ok("constraints", c.name() + " passes now: " + c.reason()));
      }
    }
    try {
      ScheduleTimes.of(b.config.schedule())
          .next(at)
          .ifPresent(
              next ->
                  out.add(
                      RehearsalFinding.ok(
                          "schedule",
                          "the next cycle is due at "
                              + next.cronTime()
                              + " ("
                              + b.config.schedule().zoneOrDefault()
                              + ")")));
    } catch (RuntimeException e) {
      // An unreadable schedule is the config's finding, which the doctor reports.
    }
    PullRequestFollowUps.inDayNote(b.config)
        .ifPresent(note -> out.add(RehearsalFinding.ok("schedule", note)));
  }

  /**
   * The doctor's wake-up facts, judged against the config: wakes turned on where none can be
   * scheduled is a problem, since a sleeping machine would then sleep through the night.
   */
  private void wake(DoctorReport.WakeReport wake, List<RehearsalFinding> out) {
    if (wake.equals(DoctorReport.WakeReport.NOT_CHECKED)) {
      return;
    }
    String area = "wake";
    boolean on = b.config.schedule().wake().enabled();
    String how = wake.mechanism() + (wake.detail().isEmpty() ? "" : " (" + wake.detail() + ")");
    if (on && !wake.possible()) {
      out.add(
          RehearsalFinding.problem(
              area,
              "schedule.wake is on, but this machine cannot be woken from sleep: "
                  + wake.detail()
                  + "; a night the machine sleeps through would not run",
              "do as it says so that a wake can be scheduled, or set schedule.wake.enabled to"
                  + " false and keep the machine awake through the window"));
    } else if (on) {
      out.add(
          RehearsalFinding.ok(
              area,
              "the machine is woken "
                  + b.config.schedule().wake().lead().toSeconds()
                  + " s before each wake through "
                  + how));
    } else if (wake.possible()) {
      out.add(
          RehearsalFinding.ok(
              area,
              "wake-ups are off: the machine must be awake through the window; it could be woken"
                  + " through "
                  + how
                  + " with schedule.wake.enabled"));
    } else {
      out.add(
          RehearsalFinding.ok(
              area,
              "wake-ups are off, and could not work here ("
                  + wake.detail()
                  + "): the machine must be awake through the window"));
    }
  }

  private void permissions(DoctorReport doctor, List<RehearsalFinding> out) {
    Permissions p = b.config.permissions();
    String area = "permissions";
    switch (p.mode()) {
      case UNATTENDED ->
          out.add(
              RehearsalFinding.ok(
                  area,
                  "without a terminal nothing is asked: the unattended policy allows reads, edits"
                      + " and commands inside the task's worktree and refuses everything else"
                      + (p.allowFetch() ? " but fetches" : "")));
      case READ_ONLY ->
          out.add(
              RehearsalFinding.warning(
                  area,
                  "read_only: without a terminal every request is refused, so agents cannot edit"
                      + " and tasks end with no change",
                  "set permissions.mode to \"unattended\""));
      case ALLOW_ALL -> {
        boolean confined = p.sandbox() != SandboxMode.OFF && doctor.sandbox().available();
        if (confined) {
          out.add(
              RehearsalFinding.ok(
                  area,
                  "allow_all: every request is allowed, inside the " + doctor.sandbox().sandbox()));
        } else {
          out.add(
              RehearsalFinding.warning(
                  area,
                  "allow_all without a sandbox: unattended agents may do anything you can",
                  "set permissions.mode to \"unattended\", or permissions.sandbox to"
                      + " \"required\" on a machine with a sandbox"));
        }
      }
    }
    if (doctor.sandbox().available() || p.sandbox() == SandboxMode.OFF) {
      out.add(
          RehearsalFinding.ok(
              "sandbox",
              doctor.sandbox().sandbox()
                  + ", permissions.sandbox "
                  + doctor.sandbox().mode()
                  + ": "
                  + doctor.sandbox().effect()));
    }
  }

  private void cost(CostProjection c, List<RehearsalFinding> out) {
    String area = "cost";
    int n = c.plan().tasks();
    String tasks = n + (n == 1 ? " task" : " tasks") + " (" + c.plan().basis() + ")";
    boolean bounded = c.limit().isBounded();
    boolean unknown =
        c.perTask().costUsd().isEmpty()
            && c.perTask().tokens().isEmpty()
            && c.perTask().agentSeconds().isEmpty();
    if (n == 0) {
      out.add(RehearsalFinding.ok(area, "tonight's plan starts no task: " + c.plan().basis()));
    } else if (unknown) {
      String what = "tonight's plan: " + tasks + "; what a task costs is not known yet";
      out.add(
          bounded
              ? RehearsalFinding.warning(
                  area,
                  what + ", so whether it stays within limits.per_night cannot be told",
                  "run a cycle (`overnight once`) to learn what a task costs here")
              : RehearsalFinding.ok(area, what));
    } else if (c.fit().tasks() < n) {
      String fits =
          "tonight's plan: "
              + tasks
              + ", of which about "
              + c.fit().tasks()
              + " would start ("
              + String.join("; ", c.fit().bounds())
              + "), about "
              + c.fit()
                  .spend()
                  .costUsd()
                  .map(d -> String.format(Locale.ROOT, "$%.2f", d))
                  .orElse("an unknown cost");
      out.add(
          RehearsalFinding.warning(
              area,
              fits
                  + (c.overruns().isEmpty()
                      ? ""
                      : "; the whole plan would go over: " + String.join("; ", c.overruns())),
              "expect the rest tomorrow night, or raise time_budget_sec, max_concurrent or"
                  + " limits.per_night"));
    } else if (!c.overruns().isEmpty()) {
      out.add(
          RehearsalFinding.warning(
              area,
              "tonight's plan: "
                  + tasks
                  + " would go over the night's limits: "
                  + String.join("; ", c.overruns()),
              "raise limits.per_night, or expect the night to stop starting tasks when it reaches"
                  + " them"));
    } else {
      out.add(
          RehearsalFinding.ok(
              area,
              "tonight's plan: "
                  + tasks
                  + ", about "
                  + c.projected()
                      .costUsd()
                      .map(d -> String.format(Locale.ROOT, "$%.2f", d))
                      .orElse("an unknown cost")
                  + (bounded ? ", within limits.per_night" : "")));
    }
    for (CostProjection.AgentQuota q : c.quotas()) {
      out.add(
          RehearsalFinding.ok(
              "quota", q.agent() + ": remaining quota " + q.remaining().orElse("unknown")));
    }
  }

  private SessionRequest probeRequest(Path folder) {
    Permissions p = b.config.permissions();
    return SessionRequest.builder(folder)
        .permissionPolicy(PermissionPolicy.of(p.mode(), p.allowFetch()))
        .startupTimeout(b.probeTimeout)
        .cancelGrace(Duration.ofSeconds(5))
        .build();
  }

  private static Path spareFolder() {
    try {
      return Files.createTempDirectory("overnight-rehearsal");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // A temporary folder left behind is the system's to clean.
    }
  }

  /**
   * Builds a {@link Rehearsal}. Every setter rejects a missing ({@code null}) value at once. Not
   * thread-safe.
   */
  public static final class Builder {
    private final OrchestrationConfig config;
    private final String configSource;
    private ServiceEnvironment service =
        ServiceEnvironment.ofThisProcess(System.getenv(), Path.of("").toAbsolutePath());
    private Map<String, String> processEnvironment = System.getenv();
    private List<AgentProvider> agents = List.of();
    private Doctor.Builder doctor = Doctor.builder();
    private CommandRunner commands = CommandRunner.system();
    private Path stateDir;
    private NightPlan plan = NightPlan.unknown();
    private List<Task> history = List.of();
    private List<QuotaWindow> quotaWindows = List.of();
    private InstantSource clock = InstantSource.system();
    private ToLongFunction<Path> freeSpace = DiskCheck::usableSpace;
    private Duration probeTimeout = Duration.ofSeconds(60);

    private Builder(OrchestrationConfig config, String configSource) {
      this.config = Objects.requireNonNull(config, "config");
      this.configSource = Objects.requireNonNull(configSource, "configSource");
      this.stateDir = StatePaths.of(Optional.empty(), config).root();
    }

    /** The service's context. Default: this process's environment and working folder. */
    public Builder service(ServiceEnvironment value) {
      service = Objects.requireNonNull(value, "service");
      return this;
    }

    /**
     * This process's environment: what the service lacks of it is removed from every command the
     * rehearsal runs, and named in fixes. Default: {@link System#getenv()}.
     */
    public Builder processEnvironment(Map<String, String> value) {
      processEnvironment = Map.copyOf(Objects.requireNonNull(value, "processEnvironment"));
      return this;
    }

    /** The agents found, made with the service's environment; the allowed ones are probed. */
    public Builder agentProviders(List<AgentProvider> value) {
      agents = List.copyOf(Objects.requireNonNull(value, "agentProviders"));
      return this;
    }

    /**
     * The doctor whose checks the rehearsal runs, with its checker and keep-awake providers and its
     * sandbox set; the rehearsal sets its configuration, agents, command runner, state folder and
     * clock. Default: a doctor with none.
     */
    public Builder doctor(Doctor.Builder value) {
      doctor = Objects.requireNonNull(value, "doctor");
      return this;
    }

    /** Runs git, gh and the setup command (as the service would). Default: real processes. */
    public Builder commandRunner(CommandRunner value) {
      commands = Objects.requireNonNull(value, "commandRunner");
      return this;
    }

    /** The state folder. Default: the configuration's. */
    public Builder stateDir(Path value) {
      stateDir = Objects.requireNonNull(value, "stateDir").toAbsolutePath().normalize();
      return this;
    }

    /** What tonight is expected to start. Default: unknown (no task). */
    public Builder plan(NightPlan value) {
      plan = Objects.requireNonNull(value, "plan");
      return this;
    }

    /**
     * The quota ledger's windows (the state store's), from which each agent's remaining quota is
     * read. Default: none, so it is unknown.
     */
    public Builder quotaWindows(List<QuotaWindow> value) {
      quotaWindows = List.copyOf(Objects.requireNonNull(value, "quotaWindows"));
      return this;
    }

    /** Completed tasks, whose recorded costs make the per-task estimate. Default: none. */
    public Builder history(List<Task> value) {
      history = List.copyOf(Objects.requireNonNull(value, "history"));
      return this;
    }

    /** Stamps the report and reads the schedule. Default: the system clock. */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The bytes free on the disk holding a folder, or -1. Default: the file store's. */
    public Builder freeSpace(ToLongFunction<Path> value) {
      freeSpace = Objects.requireNonNull(value, "freeSpace");
      return this;
    }

    /** How long each agent's start-up may take. Default: 60 seconds. */
    public Builder probeTimeout(Duration value) {
      probeTimeout = Objects.requireNonNull(value, "probeTimeout");
      return this;
    }

    /** Builds the rehearsal; touches nothing until {@link Rehearsal#run()}. */
    public Rehearsal build() {
      return new Rehearsal(this);
    }
  }
}
