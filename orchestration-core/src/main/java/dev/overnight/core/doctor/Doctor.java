package dev.overnight.core.doctor;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.WakeSchedulerProvider;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.store.Store;
import dev.overnight.core.doctor.internal.AgentsCheck;
import dev.overnight.core.doctor.internal.ConfigCheck;
import dev.overnight.core.doctor.internal.ConstraintCheckersCheck;
import dev.overnight.core.doctor.internal.DoctorCheck;
import dev.overnight.core.doctor.internal.Findings;
import dev.overnight.core.doctor.internal.KeepAwakeCheck;
import dev.overnight.core.doctor.internal.KeepAwakeChoice;
import dev.overnight.core.doctor.internal.NightPossibleCheck;
import dev.overnight.core.doctor.internal.SandboxCheck;
import dev.overnight.core.doctor.internal.SharedStateCheck;
import dev.overnight.core.doctor.internal.StateFolderCheck;
import dev.overnight.core.doctor.internal.SystemInfoCheck;
import dev.overnight.core.doctor.internal.ToolsCheck;
import dev.overnight.core.doctor.internal.WakeCheck;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.Sandboxes;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Examines a machine for Overnight and produces a {@link DoctorReport}: what every constraint
 * checker answers and which provider answered, whether keep-awake can be acquired and released,
 * which sandbox agents' commands run in, which agents are available, whether git and gh work, the
 * state folder and database, and whether another configuration shares that folder.
 *
 * <p>It also says whether a night can ever run here: a schedule that never fires inside its window,
 * or a constraint this machine cannot read under {@code on_unknown: fail}, means "this config will
 * never run here", with why and the fix.
 *
 * <p>Each of those is one check, run in a fixed order (system, config, constraint checkers, whether
 * a night is possible, keep-awake, sandbox, agents, tools, state, shared state); the report lists
 * problems and warnings in the order the checks raise them. Every external step is bounded:
 * checkers run in parallel, each within the configuration's check timeout; commands run through a
 * {@link CommandRunner} with a time limit. {@link #run()} never throws for what it finds: a failure
 * is part of the report.
 *
 * <p>Immutable once built; each {@link #run()} examines the machine afresh. Runs are not meant to
 * overlap: the providers and commands examined are not promised to be thread-safe.
 *
 * @since 0.1.0
 */
public final class Doctor {
  /** The CPU limit used to show what {@code cpu_max_percentage} would say when it is not set. */
  public static final double DEFAULT_CPU_MAX_PERCENTAGE = 80.0;

  private final InstantSource clock;
  private final List<DoctorCheck> checks;

  private Doctor(InstantSource clock, List<DoctorCheck> checks) {
    this.clock = clock;
    this.checks = List.copyOf(checks);
  }

  /** Starts a doctor; every part not given is empty, or the documented default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Examines the machine. Blocks for at most a few seconds; never throws for what it finds. */
  public DoctorReport run() {
    Instant at = clock.instant();
    Findings findings = new Findings();
    for (DoctorCheck check : checks) {
      check.run(findings);
    }
    return findings.toReport(at);
  }

  /**
   * Builds a {@link Doctor}. Every setter rejects a missing ({@code null}) value at once, naming
   * it; {@link #build()} rejects inputs that contradict each other. Not thread-safe.
   */
  public static final class Builder {
    private OrchestrationConfig config = OrchestrationConfig.builder(ConfigValue.of(".")).build();
    private String configSource = "defaults";
    private List<ConstraintCheckerProvider> checkerProviders = List.of();
    private List<KeepAwakeProvider> keepAwakeProviders = List.of();
    private Optional<KeepAwake> keepAwake = Optional.empty();
    private List<WakeSchedulerProvider> wakeSchedulerProviders = List.of();
    private Supplier<Sandbox> sandbox = Sandboxes::forThisMachine;
    private List<AgentProvider> agents = List.of();
    private CommandRunner commands = CommandRunner.system();
    private Optional<Path> stateDir = Optional.empty();
    private Optional<Path> databaseFile = Optional.empty();
    private Optional<Store> store = Optional.empty();
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /**
     * The configuration examined: which checkers are enabled and with which settings, the check
     * timeout, whether pull requests are wanted. Default: every default.
     *
     * @param source where it came from, shown in the report (a file path, or {@code defaults})
     * @throws IllegalArgumentException when {@code source} is blank: the report would not say what
     *     it examined
     */
    public Builder config(OrchestrationConfig value, String source) {
      Objects.requireNonNull(value, "config: the configuration to examine is missing");
      Objects.requireNonNull(source, "config: where the configuration came from is missing");
      if (source.isBlank()) {
        throw new IllegalArgumentException(
            "config: the source is blank; say where the configuration came from, e.g. a file"
                + " path or \"defaults\"");
      }
      config = value;
      configSource = source;
      return this;
    }

    /** The constraint checker providers to examine, e.g. every discovered one. */
    public Builder checkerProviders(List<ConstraintCheckerProvider> value) {
      checkerProviders = copy(value, "checkerProviders");
      return this;
    }

    /**
     * The keep-awake providers found; unless {@link #keepAwake} is set, the supported one with the
     * lowest order is tried, as at run time.
     */
    public Builder keepAwakeProviders(List<KeepAwakeProvider> value) {
      keepAwakeProviders = copy(value, "keepAwakeProviders");
      return this;
    }

    /**
     * The keep-awake to try, overriding the choice among {@link #keepAwakeProviders}, which are
     * still listed as candidates.
     */
    public Builder keepAwake(KeepAwake value) {
      keepAwake = Optional.of(Objects.requireNonNull(value, "keepAwake"));
      return this;
    }

    /**
     * The wake scheduler providers found; the supported one with the lowest order says whether the
     * machine can be woken here. None (the default) reports that no wake scheduler applies.
     */
    public Builder wakeSchedulerProviders(List<WakeSchedulerProvider> value) {
      wakeSchedulerProviders = copy(value, "wakeSchedulerProviders");
      return this;
    }

    /**
     * The sandbox this machine has. Default: the one {@link Sandboxes#forThisMachine()} finds, when
     * the doctor runs.
     */
    public Builder sandbox(Sandbox value) {
      Objects.requireNonNull(value, "sandbox");
      sandbox = () -> value;
      return this;
    }

    /** The agent providers whose availability is reported. */
    public Builder agentProviders(List<AgentProvider> value) {
      agents = copy(value, "agentProviders");
      return this;
    }

    /** Runs {@code git} and {@code gh}. Default: real processes. */
    public Builder commandRunner(CommandRunner value) {
      commands = Objects.requireNonNull(value, "commandRunner");
      return this;
    }

    /**
     * The state folder. Default: the configuration's, as {@link StatePaths#of(Optional,
     * OrchestrationConfig)} finds it.
     */
    public Builder stateDir(Path value) {
      stateDir = Optional.of(Objects.requireNonNull(value, "stateDir"));
      return this;
    }

    /** The database file. Default: {@code overnight.db} in the state folder. */
    public Builder databaseFile(Path value) {
      databaseFile = Optional.of(Objects.requireNonNull(value, "databaseFile"));
      return this;
    }

    /**
     * The state folder's store, read (never written) to find other configurations that use the
     * folder. Default: none, so only the folder's {@code daemon.json} is looked at.
     */
    public Builder store(Store value) {
      store = Optional.of(Objects.requireNonNull(value, "store"));
      return this;
    }

    /** Stamps the report and times the checks. Default: the system clock. */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Builds the doctor. Touches no provider, command or file: all of that happens in {@link
     * Doctor#run()}.
     *
     * @throws IllegalStateException when the database file given is the state folder itself
     */
    public Doctor build() {
      Path state = stateDir.orElseGet(() -> StatePaths.of(Optional.empty(), config).root());
      Path database = databaseFile.orElseGet(() -> state.resolve("overnight.db"));
      if (samePath(state, database)) {
        throw new IllegalStateException(
            "databaseFile and stateDir are both "
                + state
                + ": the database is a file, usually overnight.db inside the state folder");
      }
      List<KeepAwakeProvider> keepAwakeFound = keepAwakeProviders;
      Optional<KeepAwake> explicitKeepAwake = keepAwake;
      return new Doctor(
          clock,
          List.of(
              SystemInfoCheck.ofThisJvm(
                  Optional.ofNullable(Doctor.class.getPackage().getImplementationVersion())),
              new ConfigCheck(config, configSource),
              new ConstraintCheckersCheck(
                  config.constraints(), checkerProviders, clock, DEFAULT_CPU_MAX_PERCENTAGE),
              new NightPossibleCheck(config.schedule(), config.constraints(), clock),
              new KeepAwakeCheck(() -> KeepAwakeChoice.among(explicitKeepAwake, keepAwakeFound)),
              new WakeCheck(wakeSchedulerProviders),
              new SandboxCheck(sandbox, config.permissions().sandbox()),
              new AgentsCheck(agents),
              new ToolsCheck(commands, config.prAutomation().enabled()),
              new StateFolderCheck(state, database),
              new SharedStateCheck(
                  config.id(), config.workspaceRoot().path(), new StatePaths(state), store)));
    }

    private static <T> List<T> copy(List<T> value, String name) {
      Objects.requireNonNull(value, name + ": give an empty list for none");
      for (int i = 0; i < value.size(); i++) {
        if (value.get(i) == null) {
          throw new NullPointerException(name + ": element " + i + " is null");
        }
      }
      return List.copyOf(value);
    }

    private static boolean samePath(Path a, Path b) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }
}
