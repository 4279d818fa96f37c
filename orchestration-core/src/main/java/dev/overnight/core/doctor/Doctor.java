package dev.overnight.core.doctor;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.doctor.DoctorReport.AgentReport;
import dev.overnight.core.doctor.DoctorReport.Candidate;
import dev.overnight.core.doctor.DoctorReport.CheckerReport;
import dev.overnight.core.doctor.DoctorReport.ConfigInfo;
import dev.overnight.core.doctor.DoctorReport.KeepAwakeReport;
import dev.overnight.core.doctor.DoctorReport.PathReport;
import dev.overnight.core.doctor.DoctorReport.SystemInfo;
import dev.overnight.core.doctor.DoctorReport.ToolReport;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.NamedProviders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Examines a machine for Overnight and produces a {@link DoctorReport}: what every constraint
 * checker answers and which provider answered, whether keep-awake can be acquired and released,
 * which agents are available, whether git and gh work, and the state folder and database.
 *
 * <p>Every external step is bounded: checkers run in parallel, each within the configuration's
 * check timeout; commands run through a {@link CommandRunner} with a time limit. {@link #run()}
 * never throws for what it finds: a failure is part of the report. Not thread-safe; build one per
 * report.
 */
public final class Doctor {
  /** The CPU limit used to show what {@code cpu_max_percentage} would say when it is not set. */
  public static final double DEFAULT_CPU_MAX_PERCENTAGE = 80.0;

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private final OrchestrationConfig config;
  private final String configSource;
  private final List<ConstraintCheckerProvider> checkerProviders;
  private final List<KeepAwakeProvider> keepAwakeProviders;
  private final KeepAwake explicitKeepAwake;
  private final List<AgentProvider> agents;
  private final CommandRunner commands;
  private final Path stateDir;
  private final Path databaseFile;
  private final InstantSource clock;

  private final List<String> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private Doctor(Builder b) {
    this.config = b.config;
    this.configSource = b.configSource;
    this.checkerProviders = List.copyOf(b.checkerProviders);
    this.keepAwakeProviders = List.copyOf(b.keepAwakeProviders);
    this.explicitKeepAwake = b.keepAwake;
    this.agents = List.copyOf(b.agents);
    this.commands = b.commands;
    this.stateDir =
        b.stateDir != null ? b.stateDir : StatePaths.of(Optional.empty(), b.config).root();
    this.databaseFile = b.databaseFile != null ? b.databaseFile : stateDir.resolve("overnight.db");
    this.clock = b.clock;
  }

  /** Starts a doctor; every part not given is empty, or the documented default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Examines the machine. Blocks for at most a few seconds; never throws for what it finds. */
  public DoctorReport run() {
    problems.clear();
    warnings.clear();
    Instant at = clock.instant();
    Constraints constraints = config.constraints();
    ConfigInfo configInfo =
        new ConfigInfo(
            configSource,
            config.id(),
            constraints.enabledCheckers(),
            constraints.onUnknown().jsonName(),
            constraints.checkTimeout());
    List<CheckerReport> checkers = checkers(constraints);
    KeepAwakeReport keepAwake = keepAwake();
    List<AgentReport> agentReports = agents();
    List<ToolReport> tools = tools();
    List<PathReport> state = state();
    return new DoctorReport(
        at,
        systemInfo(),
        configInfo,
        checkers,
        keepAwake,
        agentReports,
        tools,
        state,
        problems,
        warnings);
  }

  // --- constraint checkers ---

  private List<CheckerReport> checkers(Constraints constraints) {
    NamedProviders<ConstraintCheckerProvider> named =
        new NamedProviders<>(
            "constraint checker",
            List.of(),
            checkerProviders,
            ConstraintCheckerProvider::name,
            ConstraintCheckerProvider::order,
            ConstraintCheckerProvider::isSupported);
    Set<String> names = new LinkedHashSet<>(Constraints.BUILT_IN);
    names.addAll(constraints.checkers().keySet());
    names.addAll(named.names());
    List<String> enabled = constraints.enabledCheckers();

    ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "overnight-doctor-check");
              t.setDaemon(true);
              return t;
            });
    try {
      Map<String, Pending> pending = new LinkedHashMap<>();
      for (String name : names) {
        pending.put(name, start(name, enabled.contains(name), constraints, named, pool));
      }
      List<CheckerReport> reports = new ArrayList<>();
      for (Pending p : pending.values()) {
        CheckerReport report = p.finish(constraints.checkTimeout());
        reports.add(report);
        judgeChecker(report, p.setupFailed, constraints);
      }
      return reports;
    } finally {
      // A checker that overran keeps its daemon thread; nothing waits for it.
      pool.shutdownNow();
    }
  }

  private Pending start(
      String name,
      boolean enabled,
      Constraints constraints,
      NamedProviders<ConstraintCheckerProvider> named,
      ExecutorService pool) {
    Optional<ConstraintCheckerProvider> chosen = named.select(name);
    List<Candidate> candidates =
        candidates(
            checkerProviders.stream().filter(p -> name.equals(safeName(p))).collect(toList()),
            chosen.orElse(null),
            ConstraintCheckerProvider::order,
            ConstraintCheckerProvider::isSupported);
    if (chosen.isEmpty()) {
      String reason =
          candidates.isEmpty()
              ? "no provider serves '" + name + "' (add the platform module for this system)"
              : "no provider of '" + name + "' is supported on " + OsFamily.describeCurrent();
      return Pending.done(name, enabled, ConstraintResult.unknown(reason), null, candidates);
    }
    ConstraintCheckerProvider provider = chosen.get();
    Object value = settingsValue(name, constraints);
    if (value == null) {
      return Pending.done(
          name,
          enabled,
          ConstraintResult.unknown(
              "provided by "
                  + provider.getClass().getName()
                  + " but not configured under constraints.checkers"),
          provider,
          candidates);
    }
    ConstraintChecker checker;
    try {
      checker = provider.create(new ConstraintSettings(name, value, constraints));
    } catch (ConfigException e) {
      return Pending.failed(
          name,
          enabled,
          ConstraintResult.unknown("settings rejected: " + oneLine(e.getMessage())),
          provider,
          candidates);
    } catch (RuntimeException | LinkageError e) {
      return Pending.failed(
          name,
          enabled,
          ConstraintResult.unknown("could not create the checker: " + e),
          provider,
          candidates);
    }
    CompletableFuture<Timed> future =
        CompletableFuture.supplyAsync(
            () -> {
              Instant before = clock.instant();
              ConstraintResult result = checker.check();
              return new Timed(result, Duration.between(before, clock.instant()));
            },
            pool);
    return new Pending(name, enabled, provider, candidates, future, null, false);
  }

  private Object settingsValue(String name, Constraints constraints) {
    if (Constraints.BUILT_IN.contains(name)) {
      return "cpu_max_percentage".equals(name)
          ? constraints.cpuMaxPercentage().orElse(DEFAULT_CPU_MAX_PERCENTAGE)
          : Boolean.TRUE;
    }
    return constraints.checkers().get(name);
  }

  private void judgeChecker(CheckerReport r, boolean setupFailed, Constraints constraints) {
    if (!r.enabled()) {
      return;
    }
    if (r.provider().isEmpty()) {
      problems.add("constraint '" + r.name() + "' is enabled but " + r.reason());
    } else if (setupFailed) {
      problems.add("constraint '" + r.name() + "': " + r.reason());
    } else if (r.status() == ConstraintStatus.UNSATISFIED) {
      warnings.add("constraint '" + r.name() + "' holds cycles back right now: " + r.reason());
    } else if (r.status() == ConstraintStatus.UNKNOWN) {
      warnings.add(
          "constraint '"
              + r.name()
              + "' cannot tell ("
              + r.reason()
              + "); with on_unknown="
              + constraints.onUnknown().jsonName()
              + " it "
              + (constraints.onUnknown().jsonName().equals("pass") ? "lets" : "holds")
              + " cycles "
              + (constraints.onUnknown().jsonName().equals("pass") ? "run" : "back"));
    }
  }

  /** A check under way, or one that finished before it started. */
  private static final class Pending {
    final String name;
    final boolean enabled;
    final ConstraintCheckerProvider provider;
    final List<Candidate> candidates;
    final CompletableFuture<Timed> future;
    final ConstraintResult immediate;
    final boolean setupFailed;

    Pending(
        String name,
        boolean enabled,
        ConstraintCheckerProvider provider,
        List<Candidate> candidates,
        CompletableFuture<Timed> future,
        ConstraintResult immediate,
        boolean setupFailed) {
      this.name = name;
      this.enabled = enabled;
      this.provider = provider;
      this.candidates = candidates;
      this.future = future;
      this.immediate = immediate;
      this.setupFailed = setupFailed;
    }

    static Pending done(
        String name,
        boolean enabled,
        ConstraintResult result,
        ConstraintCheckerProvider provider,
        List<Candidate> candidates) {
      return new Pending(name, enabled, provider, candidates, null, result, false);
    }

    static Pending failed(
        String name,
        boolean enabled,
        ConstraintResult result,
        ConstraintCheckerProvider provider,
        List<Candidate> candidates) {
      return new Pending(name, enabled, provider, candidates, null, result, true);
    }

    CheckerReport finish(Duration timeout) {
      ConstraintResult result = immediate;
      Duration elapsed = Duration.ZERO;
      if (future != null) {
        try {
          Timed timed = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          result =
              timed.result() != null
                  ? timed.result()
                  : ConstraintResult.unknown("the checker returned no result");
          elapsed = timed.elapsed();
        } catch (TimeoutException e) {
          future.cancel(true);
          result =
              ConstraintResult.unknown(
                  "no answer within " + timeout.toMillis() + " ms (check_timeout)");
          elapsed = timeout;
        } catch (ExecutionException e) {
          result = ConstraintResult.unknown("the checker threw " + e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          result = ConstraintResult.unknown("interrupted");
        }
      }
      return new CheckerReport(
          name,
          enabled,
          result.status(),
          result.reason().isBlank() ? "(the checker gave no reason)" : result.reason(),
          Optional.ofNullable(provider).map(p -> p.getClass().getName()),
          candidates,
          elapsed);
    }
  }

  private record Timed(ConstraintResult result, Duration elapsed) {}

  // --- keep-awake ---

  private KeepAwakeReport keepAwake() {
    KeepAwakeProvider chosenProvider = null;
    KeepAwake keepAwake = explicitKeepAwake;
    String creationFailure = null;
    if (keepAwake == null) {
      chosenProvider =
          keepAwakeProviders.stream()
              .filter(p -> supported(p::isSupported))
              .min(
                  Comparator.comparingInt(KeepAwakeProvider::order)
                      .thenComparing(p -> p.getClass().getName()))
              .orElse(null);
      if (chosenProvider != null) {
        try {
          keepAwake = chosenProvider.create();
        } catch (RuntimeException | LinkageError e) {
          creationFailure = chosenProvider.getClass().getName() + ".create() threw " + e;
        }
      }
    }
    List<Candidate> candidates =
        candidates(
            keepAwakeProviders,
            explicitKeepAwake == null ? chosenProvider : null,
            KeepAwakeProvider::order,
            KeepAwakeProvider::isSupported);
    if (keepAwake == null) {
      keepAwake = KeepAwake.noop();
    }
    String implementation = safeDescribe(keepAwake);
    boolean held = false;
    String detail;
    try (KeepAwake.Handle handle = keepAwake.acquire("overnight doctor: checking keep-awake")) {
      held = handle.held();
      String said = describeHandle(handle);
      if (held) {
        detail = "acquired and released" + (said.isEmpty() ? "" : " (" + said + ")");
      } else {
        detail = said.isEmpty() ? "acquire() returned a handle that holds nothing" : said;
      }
    } catch (RuntimeException | LinkageError e) {
      detail = "acquire() threw " + e;
    }
    if (creationFailure != null) {
      detail = creationFailure + "; " + detail;
    }
    if (!held) {
      warnings.add(
          "keep-awake is not held ("
              + implementation
              + "): the machine may sleep while a cycle runs");
    }
    return new KeepAwakeReport(
        implementation,
        Optional.ofNullable(chosenProvider).map(p -> p.getClass().getName()),
        candidates,
        held,
        detail);
  }

  /** What a handle says of itself, when its class says anything (records and overrides do). */
  private static String describeHandle(KeepAwake.Handle handle) {
    try {
      if (handle.getClass().getMethod("toString").getDeclaringClass() == Object.class) {
        return "";
      }
      return String.valueOf(handle);
    } catch (NoSuchMethodException | RuntimeException e) {
      return "";
    }
  }

  private static String safeDescribe(KeepAwake keepAwake) {
    try {
      return keepAwake.describe();
    } catch (RuntimeException | LinkageError e) {
      return keepAwake.getClass().getName() + " (describe() threw " + e + ")";
    }
  }

  // --- agents ---

  private List<AgentReport> agents() {
    List<AgentReport> reports = new ArrayList<>();
    for (AgentProvider agent : agents) {
      String id;
      try {
        id = agent.id();
      } catch (RuntimeException e) {
        id = agent.getClass().getName();
      }
      try {
        dev.overnight.api.Availability a = agent.availability();
        reports.add(new AgentReport(id, a.available(), a.reason(), a.remedy()));
      } catch (RuntimeException | LinkageError e) {
        reports.add(new AgentReport(id, false, "availability() threw " + e, Optional.empty()));
      }
    }
    if (reports.stream().noneMatch(AgentReport::available)) {
      warnings.add(
          reports.isEmpty()
              ? "no agent provider found: add orchestration-agents-acp or register an agent"
              : "no agent is available: cycles will find nothing to run tasks with");
    }
    return reports;
  }

  // --- tools ---

  private List<ToolReport> tools() {
    List<ToolReport> tools = new ArrayList<>();
    CommandResult git = commands.run(List.of("git", "--version"), COMMAND_TIMEOUT);
    tools.add(toolReport("git", git));
    if (!git.succeeded()) {
      problems.add("git does not work (" + git.describe() + "): tasks run in git worktrees");
    }
    boolean prs = config.prAutomation().enabled();
    CommandResult gh = commands.run(List.of("gh", "--version"), COMMAND_TIMEOUT);
    tools.add(toolReport("gh", gh));
    if (!gh.succeeded()) {
      (prs ? problems : warnings)
          .add("gh does not work (" + gh.describe() + "): pull requests cannot be opened");
      tools.add(new ToolReport("gh auth", false, "not checked: gh does not work"));
      return tools;
    }
    CommandResult auth = commands.run(List.of("gh", "auth", "status"), COMMAND_TIMEOUT);
    String authText = firstNonBlank(auth.stdout() + "\n" + auth.stderr());
    tools.add(
        new ToolReport("gh auth", auth.succeeded(), auth.succeeded() ? authText : auth.describe()));
    if (!auth.succeeded()) {
      (prs ? problems : warnings)
          .add("gh is not logged in (" + auth.describe() + "): run `gh auth login`");
    }
    return tools;
  }

  private static ToolReport toolReport(String name, CommandResult r) {
    return new ToolReport(name, r.succeeded(), r.succeeded() ? r.firstLine() : r.describe());
  }

  // --- state ---

  private List<PathReport> state() {
    List<PathReport> reports = new ArrayList<>();
    boolean dirExists = Files.isDirectory(stateDir);
    if (Files.exists(stateDir) && !dirExists) {
      problems.add("state folder " + stateDir + " exists but is not a folder");
      reports.add(
          new PathReport(
              "state folder", stateDir, true, false, OptionalLong.empty(), "not a folder"));
    } else if (dirExists) {
      boolean writable = Files.isWritable(stateDir);
      if (!writable) {
        problems.add("state folder " + stateDir + " is not writable");
      }
      reports.add(
          new PathReport(
              "state folder",
              stateDir,
              true,
              writable,
              OptionalLong.empty(),
              (writable ? "writable" : "not writable") + freeSpace(stateDir)));
    } else {
      Optional<Path> parent = nearestExistingAncestor(stateDir);
      boolean creatable = parent.map(Files::isWritable).orElse(false);
      if (!creatable) {
        problems.add("state folder " + stateDir + " does not exist and cannot be created");
      }
      reports.add(
          new PathReport(
              "state folder",
              stateDir,
              false,
              creatable,
              OptionalLong.empty(),
              creatable
                  ? "does not exist yet; will be created (under writable " + parent.get() + ")"
                  : "does not exist and "
                      + parent.map(p -> p + " is not writable").orElse("has no existing parent")));
    }
    reports.add(database());
    return reports;
  }

  private PathReport database() {
    if (!Files.exists(databaseFile)) {
      return new PathReport(
          "database",
          databaseFile,
          false,
          Files.isWritable(stateDir) || !Files.exists(stateDir),
          OptionalLong.empty(),
          "does not exist yet; created on first run");
    }
    if (!Files.isRegularFile(databaseFile)) {
      problems.add("database " + databaseFile + " is not a regular file");
      return new PathReport(
          "database", databaseFile, true, false, OptionalLong.empty(), "not a regular file");
    }
    boolean writable = Files.isWritable(databaseFile);
    if (!writable) {
      problems.add("database " + databaseFile + " is not writable");
    }
    OptionalLong size;
    try {
      size = OptionalLong.of(Files.size(databaseFile));
    } catch (IOException e) {
      size = OptionalLong.empty();
    }
    return new PathReport(
        "database",
        databaseFile,
        true,
        writable,
        size,
        (writable ? "writable" : "not writable")
            + size.stream().mapToObj(s -> ", " + s + " bytes").findFirst().orElse(""));
  }

  private static String freeSpace(Path dir) {
    try {
      long free = Files.getFileStore(dir).getUsableSpace();
      return ", " + (free / (1024 * 1024)) + " MiB free";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static Optional<Path> nearestExistingAncestor(Path path) {
    Path p = path.toAbsolutePath().getParent();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return Optional.ofNullable(p);
  }

  // --- system ---

  private static SystemInfo systemInfo() {
    String version = Doctor.class.getPackage().getImplementationVersion();
    return new SystemInfo(
        System.getProperty("os.name", "?"),
        System.getProperty("os.version", "?"),
        System.getProperty("os.arch", "?"),
        OsFamily.current().name(),
        System.getProperty("java.version", "?"),
        System.getProperty("java.vendor", "?"),
        System.getProperty("java.home", "?"),
        Runtime.getRuntime().availableProcessors(),
        version == null ? "development" : version);
  }

  // --- helpers ---

  private <P> List<Candidate> candidates(
      List<P> providers,
      P chosen,
      java.util.function.ToIntFunction<P> order,
      java.util.function.Predicate<P> isSupported) {
    List<Candidate> out = new ArrayList<>();
    for (P p : providers) {
      String note;
      boolean supported;
      try {
        supported = isSupported.test(p);
        note = supported ? "" : "not supported on " + OsFamily.describeCurrent();
      } catch (RuntimeException | LinkageError e) {
        supported = false;
        note = "isSupported() threw " + e;
      }
      boolean selected = p == chosen;
      if (supported && !selected) {
        note = "supported, but another provider takes precedence";
      }
      int o;
      try {
        o = order.applyAsInt(p);
      } catch (RuntimeException e) {
        o = 0;
      }
      out.add(new Candidate(p.getClass().getName(), o, supported, selected, note));
    }
    return out;
  }

  private static boolean supported(java.util.function.BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static String safeName(ConstraintCheckerProvider p) {
    try {
      return p.name();
    } catch (RuntimeException e) {
      return p.getClass().getName();
    }
  }

  private static <T> java.util.stream.Collector<T, ?, List<T>> toList() {
    return Collectors.toList();
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replace('\n', ' ').replaceAll("\\s+", " ").strip();
  }

  private static String firstNonBlank(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
  }

  /** Builds a {@link Doctor}. Not thread-safe. */
  public static final class Builder {
    private OrchestrationConfig config = OrchestrationConfig.builder(ConfigValue.of(".")).build();
    private String configSource = "defaults";
    private List<ConstraintCheckerProvider> checkerProviders = List.of();
    private List<KeepAwakeProvider> keepAwakeProviders = List.of();
    private KeepAwake keepAwake;
    private List<AgentProvider> agents = List.of();
    private CommandRunner commands = CommandRunner.system();
    private Path stateDir;
    private Path databaseFile;
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /**
     * The configuration examined: which checkers are enabled and with which settings, the check
     * timeout, whether pull requests are wanted. Default: every default.
     *
     * @param source where it came from, shown in the report (a file path, or {@code defaults})
     */
    public Builder config(OrchestrationConfig value, String source) {
      config = Objects.requireNonNull(value, "config");
      configSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The constraint checker providers to examine, e.g. every discovered one. */
    public Builder checkerProviders(List<ConstraintCheckerProvider> value) {
      checkerProviders = List.copyOf(value);
      return this;
    }

    /**
     * The keep-awake providers found; unless {@link #keepAwake} is set, the supported one with the
     * lowest order is tried, as at run time.
     */
    public Builder keepAwakeProviders(List<KeepAwakeProvider> value) {
      keepAwakeProviders = List.copyOf(value);
      return this;
    }

    /** The keep-awake to try, overriding the choice among {@link #keepAwakeProviders}. */
    public Builder keepAwake(KeepAwake value) {
      keepAwake = Objects.requireNonNull(value, "keepAwake");
      return this;
    }

    /** The agent providers whose availability is reported. */
    public Builder agentProviders(List<AgentProvider> value) {
      agents = List.copyOf(value);
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
      stateDir = Objects.requireNonNull(value, "stateDir");
      return this;
    }

    /** The database file. Default: {@code overnight.db} in the state folder. */
    public Builder databaseFile(Path value) {
      databaseFile = Objects.requireNonNull(value, "databaseFile");
      return this;
    }

    /** Stamps the report and times the checks. Default: the system clock. */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Builds the doctor. */
    public Doctor build() {
      return new Doctor(this);
    }
  }
}
