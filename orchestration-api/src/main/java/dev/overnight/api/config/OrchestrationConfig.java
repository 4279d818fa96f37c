package dev.overnight.api.config;

import dev.overnight.api.agent.McpServer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of an overnight run: one JSON file, loaded and validated by {@code
 * dev.overnight.core.config.ConfigLoader}.
 *
 * <p>Immutable and safe to share between threads. Build one in code with {@link
 * #builder(ConfigValue)}; every component not set gets the documented default. A class with a
 * builder rather than a record, so that a new setting never breaks a caller. It checks only that
 * components are present; range and consistency rules (a budget of 900–7200 s, at most 4 concurrent
 * tasks, a parseable cron expression) are the loader's, which reports every broken rule at once.
 *
 * @since 0.1.0
 */
public final class OrchestrationConfig {
  /** Default cycle budget: 30 minutes. */
  public static final int DEFAULT_TIME_BUDGET_SEC = 1800;

  /** Smallest allowed cycle budget. */
  public static final int MIN_TIME_BUDGET_SEC = 900;

  /** Largest allowed cycle budget. */
  public static final int MAX_TIME_BUDGET_SEC = 7200;

  /** Default number of concurrent tasks. */
  public static final int DEFAULT_MAX_CONCURRENT = 2;

  /** Largest number of concurrent tasks. */
  public static final int MAX_CONCURRENT = 4;

  /** Default number of attempts per task. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** Starts a configuration for a workspace, with every other component at its default. */
  public static Builder builder(ConfigValue workspaceRoot) {
    return new Builder(workspaceRoot);
  }

  private final String id;
  private final ConfigValue workspaceRoot;
  private final Schedule schedule;
  private final Constraints constraints;
  private final int timeBudgetSec;
  private final int maxConcurrent;
  private final int maxAttempts;
  private final List<String> goals;
  private final AgentPreferences agentPreferences;
  private final Focus focus;
  private final PrAutomation prAutomation;
  private final Map<String, AgentCommand> agents;
  private final Optional<ConfigValue> stateDir;
  private final WorktreeSettings worktree;
  private final QualityGate qualityGate;
  private final Limits limits;
  private final List<McpServer> mcpServers;
  private final Permissions permissions;
  private final DecisionSettings decision;
  private final Optional<StoreSettings> store;
  private final Optional<Long> updatedAt;
  private final List<NotifierSettings> notifications;
  private final FleetSettings fleet;
  private final ReviewSettings review;
  private final IssueSettings issues;
  private final ConflictSettings conflicts;
  private final CatalogSettings catalog;
  private final PipelineSettings pipelines;

  private OrchestrationConfig(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.workspaceRoot = Objects.requireNonNull(b.workspaceRoot, "workspaceRoot");
    this.schedule = Objects.requireNonNull(b.schedule, "schedule");
    this.constraints = Objects.requireNonNull(b.constraints, "constraints");
    this.timeBudgetSec = b.timeBudgetSec;
    this.maxConcurrent = b.maxConcurrent;
    this.maxAttempts = b.maxAttempts;
    this.goals = List.copyOf(b.goals);
    this.agentPreferences = Objects.requireNonNull(b.agentPreferences, "agentPreferences");
    this.focus = Objects.requireNonNull(b.focus, "focus");
    this.prAutomation = Objects.requireNonNull(b.prAutomation, "prAutomation");
    this.agents = Collections.unmodifiableMap(new LinkedHashMap<>(b.agents));
    this.stateDir = Objects.requireNonNull(b.stateDir, "stateDir");
    this.worktree = Objects.requireNonNull(b.worktree, "worktree");
    this.qualityGate = Objects.requireNonNull(b.qualityGate, "qualityGate");
    this.limits = Objects.requireNonNull(b.limits, "limits");
    this.mcpServers = List.copyOf(b.mcpServers);
    this.permissions = Objects.requireNonNull(b.permissions, "permissions");
    this.decision = Objects.requireNonNull(b.decision, "decision");
    this.store = Objects.requireNonNull(b.store, "store");
    this.updatedAt = Objects.requireNonNull(b.updatedAt, "updatedAt");
    this.notifications = List.copyOf(b.notifications);
    this.fleet = Objects.requireNonNull(b.fleet, "fleet");
    this.review = Objects.requireNonNull(b.review, "review");
    this.issues = Objects.requireNonNull(b.issues, "issues");
    this.conflicts = Objects.requireNonNull(b.conflicts, "conflicts");
    this.catalog = Objects.requireNonNull(b.catalog, "catalog");
    this.pipelines = Objects.requireNonNull(b.pipelines, "pipelines");
  }

  /** A name for this configuration, used in logs, reports and state. */
  public String id() {
    return id;
  }

  /** The repository agents work on (each task in its own worktree of it). */
  public ConfigValue workspaceRoot() {
    return workspaceRoot;
  }

  /** When cycles run. */
  public Schedule schedule() {
    return schedule;
  }

  /** What the machine must satisfy before a cycle runs. */
  public Constraints constraints() {
    return constraints;
  }

  /** How long one cycle may run, 900–7200 seconds. */
  public int timeBudgetSec() {
    return timeBudgetSec;
  }

  /** How many tasks run at once, 1–4. */
  public int maxConcurrent() {
    return maxConcurrent;
  }

  /** How many times a task is tried before it fails for good. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** What the user wants done; biases the decision engine. */
  public List<String> goals() {
    return goals;
  }

  /** Which agents may work, in which order. */
  public AgentPreferences agentPreferences() {
    return agentPreferences;
  }

  /** Which files work is picked from. */
  public Focus focus() {
    return focus;
  }

  /** What happens to finished branches. */
  public PrAutomation prAutomation() {
    return prAutomation;
  }

  /** Extra or replaced ACP agents by id. */
  public Map<String, AgentCommand> agents() {
    return agents;
  }

  /**
   * Where the database, worktrees, transcripts and reports live; empty means a per-user default.
   */
  public Optional<ConfigValue> stateDir() {
    return stateDir;
  }

  /** How task worktrees are prepared and bounded. */
  public WorktreeSettings worktree() {
    return worktree;
  }

  /** The check a task's result must pass. */
  public QualityGate qualityGate() {
    return qualityGate;
  }

  /** Spending caps and anti-hang timeouts. */
  public Limits limits() {
    return limits;
  }

  /** MCP servers passed to every agent session. */
  public List<McpServer> mcpServers() {
    return mcpServers;
  }

  /** How agents' permission requests are answered. */
  public Permissions permissions() {
    return permissions;
  }

  /** Decision engine tuning. */
  public DecisionSettings decision() {
    return decision;
  }

  /**
   * Which store keeps the queue and history; empty means the one discovered (the SQLite file in the
   * state folder when orchestration-sqlite is on the class path).
   */
  public Optional<StoreSettings> store() {
    return store;
  }

  /** When the file was last edited by a tool, epoch milliseconds (informational). */
  public Optional<Long> updatedAt() {
    return updatedAt;
  }

  /**
   * Who is told when a night ends or a task needs a human: webhooks, Slack, ntfy, email, the
   * desktop (none by default).
   */
  public List<NotifierSettings> notifications() {
    return notifications;
  }

  /** This machine as a worker of a fleet: its name and its own labels. */
  public FleetSettings fleet() {
    return fleet;
  }

  /** Whether and how an agent judges each task's result after the quality gate. */
  public ReviewSettings review() {
    return review;
  }

  /** Whether GitHub issues with a label become tasks, and which. */
  public IssueSettings issues() {
    return issues;
  }

  /**
   * How branches are kept mergeable: rebasing or merging a moved base, and what overlapping tasks
   * do.
   */
  public ConflictSettings conflicts() {
    return conflicts;
  }

  /** Where pipeline manifests are published and discovered: Nostr relays and the event kind. */
  public CatalogSettings catalog() {
    return catalog;
  }

  /** What pipelines may do here: the programs their command steps may run. */
  public PipelineSettings pipelines() {
    return pipelines;
  }

  /** A builder initialised from this value; change what differs and build. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OrchestrationConfig other)) {
      return false;
    }
    return id.equals(other.id)
        && workspaceRoot.equals(other.workspaceRoot)
        && schedule.equals(other.schedule)
        && constraints.equals(other.constraints)
        && timeBudgetSec == other.timeBudgetSec
        && maxConcurrent == other.maxConcurrent
        && maxAttempts == other.maxAttempts
        && goals.equals(other.goals)
        && agentPreferences.equals(other.agentPreferences)
        && focus.equals(other.focus)
        && prAutomation.equals(other.prAutomation)
        && agents.equals(other.agents)
        && stateDir.equals(other.stateDir)
        && worktree.equals(other.worktree)
        && qualityGate.equals(other.qualityGate)
        && limits.equals(other.limits)
        && mcpServers.equals(other.mcpServers)
        && permissions.equals(other.permissions)
        && decision.equals(other.decision)
        && store.equals(other.store)
        && updatedAt.equals(other.updatedAt)
        && notifications.equals(other.notifications)
        && fleet.equals(other.fleet)
        && review.equals(other.review)
        && issues.equals(other.issues)
        && conflicts.equals(other.conflicts)
        && catalog.equals(other.catalog)
        && pipelines.equals(other.pipelines);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id,
        workspaceRoot,
        schedule,
        constraints,
        timeBudgetSec,
        maxConcurrent,
        maxAttempts,
        goals,
        agentPreferences,
        focus,
        prAutomation,
        agents,
        stateDir,
        worktree,
        qualityGate,
        limits,
        mcpServers,
        permissions,
        decision,
        store,
        updatedAt,
        notifications,
        fleet,
        review,
        issues,
        conflicts,
        catalog,
        pipelines);
  }

  @Override
  public String toString() {
    return "OrchestrationConfig["
        + "id="
        + id
        + ", workspaceRoot="
        + workspaceRoot
        + ", schedule="
        + schedule
        + ", constraints="
        + constraints
        + ", timeBudgetSec="
        + timeBudgetSec
        + ", maxConcurrent="
        + maxConcurrent
        + ", maxAttempts="
        + maxAttempts
        + ", goals="
        + goals
        + ", agentPreferences="
        + agentPreferences
        + ", focus="
        + focus
        + ", prAutomation="
        + prAutomation
        + ", agents="
        + agents
        + ", stateDir="
        + stateDir
        + ", worktree="
        + worktree
        + ", qualityGate="
        + qualityGate
        + ", limits="
        + limits
        + ", mcpServers="
        + mcpServers
        + ", permissions="
        + permissions
        + ", decision="
        + decision
        + ", store="
        + store
        + ", updatedAt="
        + updatedAt
        + ", notifications="
        + notifications
        + ", fleet="
        + fleet
        + ", review="
        + review
        + ", issues="
        + issues
        + ", conflicts="
        + conflicts
        + ", catalog="
        + catalog
        + ", pipelines="
        + pipelines
        + "]";
  }

  /**
   * Builds an {@link OrchestrationConfig}. Not thread-safe; each setter replaces the previous
   * value.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private String id = "default";
    private ConfigValue workspaceRoot;
    private Schedule schedule = Schedule.cron("*/30 1-5 * * *");
    private Constraints constraints = Constraints.none();
    private int timeBudgetSec = DEFAULT_TIME_BUDGET_SEC;
    private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private List<String> goals = List.of();
    private AgentPreferences agentPreferences = AgentPreferences.none();
    private Focus focus = Focus.everything();
    private PrAutomation prAutomation = PrAutomation.disabled();
    private Map<String, AgentCommand> agents = Map.of();
    private Optional<ConfigValue> stateDir = Optional.empty();
    private WorktreeSettings worktree = WorktreeSettings.defaults();
    private QualityGate qualityGate = QualityGate.none();
    private Limits limits = Limits.defaults();
    private List<McpServer> mcpServers = List.of();
    private Permissions permissions = Permissions.unattended();
    private DecisionSettings decision = DecisionSettings.defaults();
    private Optional<StoreSettings> store = Optional.empty();
    private Optional<Long> updatedAt = Optional.empty();
    private List<NotifierSettings> notifications = List.of();
    private FleetSettings fleet = FleetSettings.none();
    private ReviewSettings review = ReviewSettings.disabled();
    private IssueSettings issues = IssueSettings.disabled();
    private ConflictSettings conflicts = ConflictSettings.defaults();
    private CatalogSettings catalog = CatalogSettings.none();
    private PipelineSettings pipelines = PipelineSettings.defaults();

    private Builder(ConfigValue workspaceRoot) {
      this.workspaceRoot = Objects.requireNonNull(workspaceRoot, "workspaceRoot");
    }

    private Builder(OrchestrationConfig v) {
      id = v.id;
      workspaceRoot = v.workspaceRoot;
      schedule = v.schedule;
      constraints = v.constraints;
      timeBudgetSec = v.timeBudgetSec;
      maxConcurrent = v.maxConcurrent;
      maxAttempts = v.maxAttempts;
      goals = v.goals;
      agentPreferences = v.agentPreferences;
      focus = v.focus;
      prAutomation = v.prAutomation;
      agents = v.agents;
      stateDir = v.stateDir;
      worktree = v.worktree;
      qualityGate = v.qualityGate;
      limits = v.limits;
      mcpServers = v.mcpServers;
      permissions = v.permissions;
      decision = v.decision;
      store = v.store;
      updatedAt = v.updatedAt;
      notifications = v.notifications;
      fleet = v.fleet;
      review = v.review;
      issues = v.issues;
      conflicts = v.conflicts;
      catalog = v.catalog;
      pipelines = v.pipelines;
    }

    /** Sets {@link OrchestrationConfig#id()}. */
    public Builder id(String value) {
      id = Objects.requireNonNull(value, "id");
      return this;
    }

    /** Sets {@link OrchestrationConfig#workspaceRoot()}. */
    public Builder workspaceRoot(ConfigValue value) {
      workspaceRoot = Objects.requireNonNull(value, "workspaceRoot");
      return this;
    }

    /** Sets {@link OrchestrationConfig#schedule()}. */
    public Builder schedule(Schedule value) {
      schedule = Objects.requireNonNull(value, "schedule");
      return this;
    }

    /** Sets {@link OrchestrationConfig#constraints()}. */
    public Builder constraints(Constraints value) {
      constraints = Objects.requireNonNull(value, "constraints");
      return this;
    }

    /** Sets {@link OrchestrationConfig#timeBudgetSec()}. */
    public Builder timeBudgetSec(int value) {
      timeBudgetSec = value;
      return this;
    }

    /** Sets {@link OrchestrationConfig#maxConcurrent()}. */
    public Builder maxConcurrent(int value) {
      maxConcurrent = value;
      return this;
    }

    /** Sets {@link OrchestrationConfig#maxAttempts()}. */
    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    /** Sets {@link OrchestrationConfig#goals()}. */
    public Builder goals(List<String> value) {
      goals = Objects.requireNonNull(value, "goals");
      return this;
    }

    /** Sets {@link OrchestrationConfig#agentPreferences()}. */
    public Builder agentPreferences(AgentPreferences value) {
      agentPreferences = Objects.requireNonNull(value, "agentPreferences");
      return this;
    }

    /** Sets {@link OrchestrationConfig#focus()}. */
    public Builder focus(Focus value) {
      focus = Objects.requireNonNull(value, "focus");
      return this;
    }

    /** Sets {@link OrchestrationConfig#prAutomation()}. */
    public Builder prAutomation(PrAutomation value) {
      prAutomation = Objects.requireNonNull(value, "prAutomation");
      return this;
    }

    /** Sets {@link OrchestrationConfig#agents()}. */
    public Builder agents(Map<String, AgentCommand> value) {
      agents = Objects.requireNonNull(value, "agents");
      return this;
    }

    /** Sets {@link OrchestrationConfig#stateDir()}. */
    public Builder stateDir(ConfigValue value) {
      stateDir = Optional.of(value);
      return this;
    }

    /** Sets {@link OrchestrationConfig#stateDir()}, or clears it with an empty optional. */
    public Builder stateDir(Optional<ConfigValue> value) {
      stateDir = Objects.requireNonNull(value, "stateDir");
      return this;
    }

    /** Sets {@link OrchestrationConfig#worktree()}. */
    public Builder worktree(WorktreeSettings value) {
      worktree = Objects.requireNonNull(value, "worktree");
      return this;
    }

    /** Sets {@link OrchestrationConfig#qualityGate()}. */
    public Builder qualityGate(QualityGate value) {
      qualityGate = Objects.requireNonNull(value, "qualityGate");
      return this;
    }

    /** Sets {@link OrchestrationConfig#limits()}. */
    public Builder limits(Limits value) {
      limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /** Sets {@link OrchestrationConfig#mcpServers()}. */
    public Builder mcpServers(List<McpServer> value) {
      mcpServers = Objects.requireNonNull(value, "mcpServers");
      return this;
    }

    /** Sets {@link OrchestrationConfig#permissions()}. */
    public Builder permissions(Permissions value) {
      permissions = Objects.requireNonNull(value, "permissions");
      return this;
    }

    /** Sets {@link OrchestrationConfig#decision()}. */
    public Builder decision(DecisionSettings value) {
      decision = Objects.requireNonNull(value, "decision");
      return this;
    }

    /** Sets {@link OrchestrationConfig#store()}. */
    public Builder store(StoreSettings value) {
      store = Optional.of(value);
      return this;
    }

    /** Sets {@link OrchestrationConfig#store()}, or clears it with an empty optional. */
    public Builder store(Optional<StoreSettings> value) {
      store = Objects.requireNonNull(value, "store");
      return this;
    }

    /** Sets {@link OrchestrationConfig#updatedAt()}. */
    public Builder updatedAt(Long value) {
      updatedAt = Optional.of(value);
      return this;
    }

    /** Sets {@link OrchestrationConfig#updatedAt()}, or clears it with an empty optional. */
    public Builder updatedAt(Optional<Long> value) {
      updatedAt = Objects.requireNonNull(value, "updatedAt");
      return this;
    }

    /** Sets {@link OrchestrationConfig#notifications()}. */
    public Builder notifications(List<NotifierSettings> value) {
      notifications = Objects.requireNonNull(value, "notifications");
      return this;
    }

    /** Sets {@link OrchestrationConfig#fleet()}. */
    public Builder fleet(FleetSettings value) {
      fleet = Objects.requireNonNull(value, "fleet");
      return this;
    }

    /** Sets {@link OrchestrationConfig#review()}. */
    public Builder review(ReviewSettings value) {
      review = Objects.requireNonNull(value, "review");
      return this;
    }

    /** Sets {@link OrchestrationConfig#issues()}. */
    public Builder issues(IssueSettings value) {
      issues = Objects.requireNonNull(value, "issues");
      return this;
    }

    /** Sets {@link OrchestrationConfig#conflicts()}. */
    public Builder conflicts(ConflictSettings value) {
      conflicts = Objects.requireNonNull(value, "conflicts");
      return this;
    }

    /** Sets {@link OrchestrationConfig#catalog()}. */
    public Builder catalog(CatalogSettings value) {
      catalog = Objects.requireNonNull(value, "catalog");
      return this;
    }

    /** Sets {@link OrchestrationConfig#pipelines()}. */
    public Builder pipelines(PipelineSettings value) {
      pipelines = Objects.requireNonNull(value, "pipelines");
      return this;
    }

    /** Builds the configuration. */
    public OrchestrationConfig build() {
      return new OrchestrationConfig(this);
    }
  }
}
