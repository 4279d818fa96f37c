package dev.overnight.core.decision;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.BuiltInAgents;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionRecord;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.decision.internal.FocusMatcher;
import dev.overnight.core.decision.internal.GitSnapshot;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds the {@link DecisionContext} for a configuration from what can be read on this machine: the
 * workspace's git history ({@link GitActivity}), the session history sources the caller resolved
 * for {@code decision.history_sources} (see {@code Discovery#historySources()}), which files
 * already have tests ({@link TestFinder}), and what the caller knows — agents' availability and the
 * op hashes of finished tasks.
 *
 * <p>A file's touch count is the number of commits that changed it over the lookback plus the
 * number of past sessions that read or changed it. Only files in {@code focus} that still exist in
 * the workspace are kept. Every input degrades to "no signal" on its own (a workspace that is not a
 * repository, a missing history folder, a source that fails) and says so in the {@link Report}.
 *
 * <p>Read-only: nothing in the workspace or the histories is written. {@link #gather} blocks on git
 * and file reads; an instance is immutable and may be gathered repeatedly.
 *
 * @since 0.1.0
 */
public final class DecisionInputs {
  /** How many sessions each history source contributes at most, unless configured. */
  public static final int DEFAULT_SESSION_LIMIT = 50;

  /** Bound on each git command of a repository snapshot. */
  private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(60);

  private final OrchestrationConfig config;
  private final InstantSource clock;
  private final Path workspace;
  private final List<SessionHistorySource> sources;
  private final Map<String, Availability> agents;
  private final Set<String> finishedOpHashes;
  private final GitActivity git;
  private final int sessionLimit;
  private final List<CandidateSource> candidateSources;
  private final Optional<Instant> asOf;
  private final Optional<Function<Collection<String>, Set<String>>> takenLookup;

  private DecisionInputs(Builder b) {
    config = b.config;
    clock = b.clock;
    workspace = b.workspace.toAbsolutePath().normalize();
    sources = List.copyOf(b.sources.values());
    agents = Map.copyOf(b.agents);
    finishedOpHashes = Set.copyOf(b.finished);
    git = b.git;
    sessionLimit = b.sessionLimit;
    candidateSources = List.copyOf(b.candidateSources);
    asOf = b.asOf;
    takenLookup = b.takenLookup;
  }

  /** Starts the inputs of {@code config}, with time read from {@code clock}. */
  public static Builder builder(OrchestrationConfig config, InstantSource clock) {
    return new Builder(config, clock);
  }

  /**
   * What one history source contributed.
   *
   * @param source its name
   * @param sessions how many sessions it gave
   * @param note why it gave none or fewer than it might, if known
   */
  public record SourceReport(String source, int sessions, Optional<String> note) {
    /** Validates the components. */
    public SourceReport {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(note, "note");
    }
  }

  /**
   * What was read to build a context, for explanations.
   *
   * @param workspace the workspace read
   * @param lookbackDays how far back history was read
   * @param since the start of the lookback
   * @param git what git's history gave
   * @param history what each session history source gave, in config order
   * @param filesConsidered files kept (in focus, present in the workspace)
   * @param filesWithTests how many of them already have tests
   * @param asOf the instant the repository was seen at, when it is not now
   * @param candidateSources what each candidate source found, in order; empty when the engine uses
   *     none
   */
  public record Report(
      Path workspace,
      int lookbackDays,
      Instant since,
      GitActivity.Result git,
      List<SourceReport> history,
      int filesConsidered,
      int filesWithTests,
      Optional<Instant> asOf,
      List<SourceReport> candidateSources) {
    /** Validates and copies the components. */
    public Report {
      Objects.requireNonNull(workspace, "workspace");
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(git, "git");
      history = List.copyOf(history);
      Objects.requireNonNull(asOf, "asOf");
      candidateSources = List.copyOf(candidateSources);
    }

    /** A report of inputs read now, without candidate sources. */
    public Report(
        Path workspace,
        int lookbackDays,
        Instant since,
        GitActivity.Result git,
        List<SourceReport> history,
        int filesConsidered,
        int filesWithTests) {
      this(
          workspace,
          lookbackDays,
          since,
          git,
          history,
          filesConsidered,
          filesWithTests,
          Optional.empty(),
          List.of());
    }
  }

  /**
   * A context and how it was built.
   *
   * @param context what the decision engine gets
   * @param report what was read
   */
  public record Gathered(DecisionContext context, Report report) {
    /** Validates the components. */
    public Gathered {
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(report, "report");
    }
  }

  /** The configuration these inputs are for. */
  public OrchestrationConfig config() {
    return config;
  }

  /** Reads everything and builds the context. */
  public Gathered gather() {
    Instant now = asOf.orElseGet(clock::instant);
    int lookback = config.decision().lookbackDays();
    Instant since = now.minus(Duration.ofDays(lookback));
    Optional<GitSnapshot> snapshot =
        candidateSources.isEmpty()
            ? Optional.empty()
            : Optional.of(
                GitSnapshot.open(config, workspace, now, asOf.isPresent(), SNAPSHOT_TIMEOUT));
    GitActivity.Result history =
        snapshot.isPresent()
            ? activityOf(snapshot.get())
            : git.read(workspace, since, asOf, config.focus());

    List<SessionRecord> sessions = new ArrayList<>();
    List<SourceReport> reports = new ArrayList<>();
    for (String name : new LinkedHashSet<>(config.decision().historySources())) {
      reports.add(readSource(name, since, sessions));
    }

    Map<String, Integer> touches = new HashMap<>();
    history.files().forEach(f -> touches.merge(f.path(), f.touches(), Integer::sum));
    for (SessionRecord s : sessions) {
      for (String f : new LinkedHashSet<>(s.filesTouched())) {
        touches.merge(f, 1, Integer::sum);
      }
    }
    FocusMatcher focus = FocusMatcher.of(config.focus());
    Map<String, Integer> kept = new TreeMap<>();
    touches.forEach(
        (path, n) -> {
          if (focus.inFocus(path) && present(path)) {
            kept.put(path, n);
          }
        });
    List<FileActivity> files = new ArrayList<>();
    kept.forEach((p, n) -> files.add(new FileActivity(p, n)));
    files.sort(
        Comparator.comparingInt(FileActivity::touches)
            .reversed()
            .thenComparing(FileActivity::path));
    Set<String> withTests = new TestFinder(workspace).filesWithTests(kept.keySet());

    List<Candidate> candidates = new ArrayList<>();
    List<SourceReport> found = new ArrayList<>();
    snapshot.ifPresent(
        snap -> {
          for (CandidateSource source : candidateSources) {
            try {
              List<Candidate> c = List.copyOf(source.candidates(snap));
              candidates.addAll(c);
              found.add(new SourceReport(source.name(), c.size(), Optional.empty()));
            } catch (RuntimeException e) {
              found.add(new SourceReport(source.name(), 0, Optional.of("failed: " + e)));
            }
          }
        });
    Set<String> finished = finishedOpHashes;
    if (takenLookup.isPresent() && snapshot.isPresent()) {
      finished = new HashSet<>(finishedOpHashes);
      finished.addAll(takenLookup.get().apply(possibleOpHashes(candidates)));
    }
    DecisionContext context =
        new DecisionContext(
            config,
            files,
            sessions,
            agents,
            withTests,
            finished,
            now,
            asOf,
            candidates,
            snapshot.map(GitSnapshot::exclusions).orElse(List.of()),
            snapshot.flatMap(GitSnapshot::windowNote));
    return new Gathered(
        context,
        new Report(
            workspace,
            lookback,
            snapshot.map(GitSnapshot::windowStart).orElse(since),
            history,
            reports,
            files.size(),
            withTests.size(),
            asOf,
            found));
  }

  /** The op hashes the candidates and the goals' explorations would have, for any agent. */
  private Set<String> possibleOpHashes(List<Candidate> candidates) {
    Set<String> agentIds = new LinkedHashSet<>(config.agentPreferences().prefer());
    agentIds.addAll(config.agentPreferences().allow());
    agentIds.addAll(agents.keySet());
    agentIds.addAll(BuiltInAgents.IDS);
    Set<String> hashes = new HashSet<>();
    for (String prompt : EvidenceDecisionEngine.possiblePrompts(candidates, config.goals())) {
      for (String agent : agentIds) {
        hashes.add(TaskSpec.defaultOpHash(prompt, Optional.of(agent)));
      }
    }
    return hashes;
  }

  /** What the snapshot's one pass over the history says, as {@link GitActivity} would. */
  private static GitActivity.Result activityOf(GitSnapshot snap) {
    Map<String, Integer> touches = new HashMap<>();
    snap.commits()
        .forEach(c -> c.changes().forEach(ch -> touches.merge(ch.path(), 1, Integer::sum)));
    List<FileActivity> files = new ArrayList<>();
    touches.forEach((p, n) -> files.add(new FileActivity(p, n)));
    files.sort(
        Comparator.comparingInt(FileActivity::touches)
            .reversed()
            .thenComparing(FileActivity::path));
    return new GitActivity.Result(
        files,
        snap.commits().size(),
        snap.problems().isEmpty() ? Optional.empty() : Optional.of(snap.problems().get(0)));
  }

  private SourceReport readSource(String name, Instant since, List<SessionRecord> into) {
    Optional<SessionHistorySource> source =
        sources.stream().filter(s -> s.name().equals(name)).findFirst();
    if (source.isEmpty()) {
      return new SourceReport(name, 0, Optional.of("skipped: no reader for this source was given"));
    }
    List<SessionRecord> records;
    try {
      records = List.copyOf(source.get().read(workspace, since, sessionLimit));
      if (asOf.isPresent()) {
        Instant at = asOf.get();
        records =
            records.stream()
                .filter(r -> r.startedAt().map(t -> !t.isAfter(at)).orElse(true))
                .toList();
      }
    } catch (RuntimeException e) {
      return new SourceReport(name, 0, Optional.of("failed: " + e));
    }
    into.addAll(records);
    Optional<String> note = Optional.empty();
    if (records.isEmpty()) {
      note = missingFolder(source.get());
    } else if (records.size() >= sessionLimit) {
      note = Optional.of("the " + sessionLimit + " most recent");
    }
    return new SourceReport(name, records.size(), note);
  }

  private static Optional<String> missingFolder(SessionHistorySource s) {
    return s.location().filter(dir -> !Files.isDirectory(dir)).map(dir -> "no folder " + dir);
  }

  private boolean present(String relative) {
    try {
      Path p = workspace.resolve(relative).normalize();
      return p.startsWith(workspace) && Files.isRegularFile(p);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** Builds {@link DecisionInputs}. Not thread-safe. */
  public static final class Builder {
    private final OrchestrationConfig config;
    private final InstantSource clock;
    private Path workspace;
    private final Map<String, SessionHistorySource> sources = new LinkedHashMap<>();
    private Map<String, Availability> agents = Map.of();
    private Set<String> finished = Set.of();
    private GitActivity git = GitActivity.standard();
    private int sessionLimit = DEFAULT_SESSION_LIMIT;
    private List<CandidateSource> candidateSources = List.of();
    private Optional<Instant> asOf = Optional.empty();
    private Optional<Function<Collection<String>, Set<String>>> takenLookup = Optional.empty();

    private Builder(OrchestrationConfig config, InstantSource clock) {
      this.config = Objects.requireNonNull(config, "config");
      this.clock = Objects.requireNonNull(clock, "clock");
      this.workspace = config.workspaceRoot().path();
    }

    /** The workspace to read (default: the config's {@code workspace_root}). */
    public Builder workspace(Path value) {
      workspace = Objects.requireNonNull(value, "workspace");
      return this;
    }

    /**
     * Reads {@code source} when the config's {@code decision.history_sources} lists its {@link
     * SessionHistorySource#name() name}; a later source of the same name replaces an earlier one.
     */
    public Builder historySource(SessionHistorySource source) {
      sources.put(source.name(), source);
      return this;
    }

    /** {@link #historySource} for each of {@code list}, in order. */
    public Builder historySources(List<? extends SessionHistorySource> list) {
      list.forEach(this::historySource);
      return this;
    }

    /** Every configured agent's availability, by id. */
    public Builder agents(Map<String, Availability> value) {
      agents = Map.copyOf(value);
      return this;
    }

    /**
     * Looks op hashes up in the queue ({@link dev.overnight.api.queue.TaskQueue#takenOpHashes}):
     * with candidate sources, the hashes every candidate could have are looked up, instead of the
     * caller listing the queue's whole history in {@link #finishedOpHashes}.
     */
    public Builder takenLookup(Function<Collection<String>, Set<String>> lookup) {
      takenLookup = Optional.of(lookup);
      return this;
    }

    /** Op hashes of tasks that completed or failed, so decisions move past them. */
    public Builder finishedOpHashes(Set<String> value) {
      finished = Set.copyOf(value);
      return this;
    }

    /** The git history reader (default: {@link GitActivity#standard()}). */
    public Builder git(GitActivity value) {
      git = Objects.requireNonNull(value, "git");
      return this;
    }

    /** How many sessions each history source contributes at most (default 50). */
    public Builder sessionLimit(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("sessionLimit must not be negative, was " + value);
      }
      sessionLimit = value;
      return this;
    }

    /**
     * The candidate sources to run (default: none). Give them only to engines that {@linkplain
     * dev.overnight.api.decision.DecisionEngine#usesCandidates() use candidates}: they read the
     * repository.
     */
    public Builder candidateSources(List<? extends CandidateSource> value) {
      candidateSources = List.copyOf(value);
      return this;
    }

    /**
     * Sees the repository and the session histories as they were at {@code instant}: later commits
     * and sessions are ignored, and the lookback ends there ({@code plan --as-of}).
     */
    public Builder asOf(Instant instant) {
      asOf = Optional.of(instant);
      return this;
    }

    /** Builds the inputs; nothing is read until {@link DecisionInputs#gather()}. */
    public DecisionInputs build() {
      return new DecisionInputs(this);
    }
  }
}
