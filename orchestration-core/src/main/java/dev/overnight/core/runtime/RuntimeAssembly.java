package dev.overnight.core.runtime;

import dev.overnight.api.TimeSource;
import dev.overnight.api.WakeScheduler;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.core.conflict.BaseSync;
import dev.overnight.core.conflict.ConflictResolver;
import dev.overnight.core.conflict.SyncResult;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.coordinator.PullRequestFollowUps;
import dev.overnight.core.fleet.WorkerIdentity;
import dev.overnight.core.issues.IssueTasks;
import dev.overnight.core.notify.ConfiguredNotifier;
import dev.overnight.core.notify.Notifications;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.pr.ChecksLookup;
import dev.overnight.core.pr.GhCli;
import dev.overnight.core.pr.GitHubIssues;
import dev.overnight.core.pr.GitHubPullRequests;
import dev.overnight.core.pr.PullRequestForge;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.report.NightAlarm;
import dev.overnight.core.schedule.DefaultScheduler;
import dev.overnight.core.spi.Discovery;
import dev.overnight.core.worktree.Git;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional parts of a runtime, as its configuration asks for them: pipelines and where their
 * {@code wait_for_ci} steps read checks, notifications, the follow-ups on Overnight's pull requests
 * with the base sync before and after one opens, labelled issues as tasks, the wake scheduler, and
 * the runtime's identity in a fleet. GitHub is reached with the environment's token, else through
 * the user's {@code gh} when it is logged in; a part the builder was given is used as it is.
 *
 * <p>Used once, on the thread that builds the runtime; not thread-safe. Blocks on git (the pull
 * request remote's URL). What it opens that the runtime must close goes onto the runtime's owned
 * stack.
 */
final class RuntimeAssembly {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeAssembly.class);

  /** How long an agent's turn at a conflict may take when tasks' agent time is not limited. */
  private static final Duration CONFLICT_TURN = Duration.ofMinutes(30);

  /** How long a GitHub request may take. */
  private static final Duration GITHUB_TIMEOUT = Duration.ofSeconds(30);

  private final OrchestrationConfig config;
  private final StatePaths paths;
  private final TimeSource time;
  private final Map<String, String> environment;
  private final Deque<AutoCloseable> owned;
  private final GhCli gh;

  RuntimeAssembly(
      OrchestrationConfig config,
      StatePaths paths,
      TimeSource time,
      Map<String, String> environment,
      Deque<AutoCloseable> owned) {
    this.config = config;
    this.paths = paths;
    this.time = time;
    this.environment = environment;
    this.owned = owned;
    this.gh = GhCli.forEnvironment(config.workspaceRoot().path(), environment);
  }

  /**
   * The pipelines of {@code operations}, their command steps allowed {@code allowedPrograms} too,
   * reading checks from {@code given}, else from GitHub (see {@link #checks}).
   */
  Pipelines pipelines(
      Map<String, PipelineOperation> operations,
      Collection<String> allowedPrograms,
      Optional<ChecksLookup> given) {
    Pipelines configured =
        Pipelines.of(operations, config.workspaceRoot().path()).allowingPrograms(allowedPrograms);
    return given.or(this::checks).map(configured::readingChecks).orElse(configured);
  }

  /**
   * Where {@code wait_for_ci} steps read checks: GitHub's REST API for the pull request remote when
   * it is on a GitHub host and the environment has its token, or through {@code gh} when it has
   * none.
   */
  private Optional<ChecksLookup> checks() {
    return remoteUrl()
        .flatMap(url -> GitHubPullRequests.forRemote(url, environment, GITHUB_TIMEOUT, gh))
        .filter(GitHubPullRequests::signedIn)
        .map(ChecksLookup.class::cast);
  }

  /**
   * The notifications through {@code notifiers}, telling the night alarms {@code alarms} reads;
   * none without notifiers. Owned by the runtime, closed after the coordinator, so the night a stop
   * ends is still told.
   */
  Optional<Notifications> notifications(
      List<ConfiguredNotifier> notifiers, Supplier<List<NightAlarm>> alarms) {
    if (notifiers.isEmpty()) {
      return Optional.empty();
    }
    Notifications n = Notifications.create(config, time, notifiers, alarms, paths.toldAlarms());
    owned.push(n);
    return Optional.of(n);
  }

  /**
   * Keeps Overnight's pull requests going, as far as the configuration asks: the follow-ups on open
   * ones (through {@code given}, else GitHub's; see {@link PullRequestFollowUps#forConfig}) with
   * their branches synced with their base, and a sync of each branch before its pull request opens
   * when pull requests are pushed. Each sync that did something is told through {@code told}.
   *
   * @return the follow-ups, set on {@code coordinator} too; empty when there are none
   */
  Optional<PullRequestFollowUps> pullRequests(
      AgentCoordinator.Builder coordinator,
      List<AgentProvider> agents,
      Optional<PullRequestForge> given,
      Optional<Notifications> told) {
    BaseSync baseSync = baseSync(agents);
    BiConsumer<Task, SyncResult> toldOfSync =
        (task, r) -> told.ifPresent(n -> n.baseSynced(time.instant(), task, r));
    Optional<PullRequestFollowUps> followUps =
        given
            .filter(f -> config.prAutomation().followUps().enabled())
            .map(f -> new PullRequestFollowUps(config, f))
            .or(() -> PullRequestFollowUps.forConfig(config, environment, gh))
            .map(f -> f.syncingWithBase(baseSync, toldOfSync));
    followUps.ifPresent(coordinator::followUps);
    if (config.prAutomation().enabled() && config.prAutomation().push()) {
      coordinator.syncBeforeOpening(baseSync, toldOfSync);
    }
    return followUps;
  }

  /**
   * Keeps pull requests up to date with their base, before they open and while open: a conflict or
   * a failing gate goes to the task's agent for one turn, bounded as a task's agent time is, away
   * from the state folder.
   */
  private BaseSync baseSync(List<AgentProvider> agents) {
    Duration turn =
        Duration.ofSeconds(
            config.limits().perTask().agentSeconds().orElse(CONFLICT_TURN.toSeconds()));
    return BaseSync.builder(config)
        .scratchRoot(paths.worktrees())
        .resolver(ConflictResolver.taskAgent(agents, config, List.of(paths.root()), turn, time))
        .build();
  }

  /**
   * The labelled issues of the workspace's repository as tasks in {@code queue}, when {@code
   * issues.enabled}: from {@code given}, else from the pull request remote's URL and the
   * environment's token, or through {@code gh} when it has none. The tasks require {@code
   * requiredLabels}.
   */
  Optional<IssueTasks> issueTasks(
      Optional<GitHubIssues> given, TaskQueue queue, Supplier<Set<String>> requiredLabels) {
    if (!config.issues().enabled()) {
      return Optional.empty();
    }
    Optional<GitHubIssues> github =
        given.or(
            () ->
                remoteUrl()
                    .flatMap(url -> GitHubIssues.forRemote(url, environment, GITHUB_TIMEOUT, gh)));
    if (github.isEmpty()) {
      LOG.warn(
          "issues.enabled is set but the remote {} names no GitHub repository: no issue becomes"
              + " a task",
          config.prAutomation().remote());
      return Optional.empty();
    }
    return Optional.of(IssueTasks.create(config, github.get(), queue, requiredLabels));
  }

  /**
   * Wakes the machine for the schedule when {@code schedule.wake.enabled}: with {@code given}, else
   * the first supported wake scheduler {@code discovery} found; without one, says so in the log.
   */
  void wakeScheduler(
      DefaultScheduler.Builder scheduler, Optional<WakeScheduler> given, Discovery discovery) {
    if (!config.schedule().wake().enabled()) {
      return;
    }
    given
        .or(discovery::wakeScheduler)
        .ifPresentOrElse(
            scheduler::wakeScheduler,
            () ->
                LOG.warn(
                    "schedule.wake is enabled but no wake scheduler applies on {}: the machine"
                        + " will not be woken (overnight doctor says why)",
                    System.getProperty("os.name")));
  }

  /**
   * A runtime as a worker of a fleet, found on first use and then kept: {@code givenId}, else the
   * state folder's stable id; the fleet name, else the host's; the agents allowed and available
   * then; the workspace's repository. Blocks on git and the agents' availability checks the first
   * time.
   */
  static Supplier<WorkerIdentity> identity(
      OrchestrationConfig config,
      StatePaths paths,
      List<AgentProvider> agents,
      Optional<String> givenId,
      Map<String, String> environment) {
    return memoize(
        () ->
            WorkerIdentity.of(
                givenId.orElseGet(() -> WorkerIdentity.stableId(paths.root())),
                config.fleet().name().orElseGet(() -> WorkerIdentity.hostName(environment)),
                OsFamily.current(),
                availableAgents(config, agents),
                WorkerIdentity.repositoryOf(config.workspaceRoot().path()),
                config.fleet().labels()));
  }

  /** The ids of the agents allowed and available here now. */
  private static List<String> availableAgents(
      OrchestrationConfig config, List<AgentProvider> agents) {
    List<String> ids = new ArrayList<>();
    for (AgentProvider a : agents) {
      try {
        if (config.agentPreferences().allows(a.id()) && a.availability().available()) {
          ids.add(a.id());
        }
      } catch (RuntimeException e) {
        LOG.warn("Could not tell whether agent {} is available: {}", a.id(), e.toString());
      }
    }
    return ids;
  }

  private static <T> Supplier<T> memoize(Supplier<T> compute) {
    AtomicReference<T> value = new AtomicReference<>();
    return () -> {
      T v = value.get();
      if (v == null) {
        v = Objects.requireNonNull(compute.get());
        if (!value.compareAndSet(null, v)) {
          v = value.get();
        }
      }
      return v;
    };
  }

  /** The pull request remote's URL, if git knows it. */
  private Optional<String> remoteUrl() {
    CommandResult url =
        new Git(config.workspaceRoot().path())
            .run("remote", "get-url", config.prAutomation().remote());
    return url.succeeded() ? Optional.of(url.stdout().strip()) : Optional.empty();
  }
}
