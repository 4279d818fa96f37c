package dev.overnight.api.config;

import dev.overnight.api.agent.McpServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of an overnight run: one JSON file, loaded and validated by {@code
 * dev.overnight.core.config.ConfigLoader}.
 *
 * <p>Immutable. Build one in code with {@link #builder(ConfigValue)}; every component not set gets
 * the documented default. The record checks only that components are present; range and consistency
 * rules (a budget of 900–7200 s, at most 4 concurrent tasks, a parseable cron expression) are the
 * loader's, which reports every broken rule at once.
 *
 * @param id a name for this configuration, used in logs, reports and state
 * @param workspaceRoot the repository agents work on (each task in its own worktree of it)
 * @param schedule when cycles run
 * @param constraints what the machine must satisfy before a cycle runs
 * @param timeBudgetSec how long one cycle may run, 900–7200 seconds
 * @param maxConcurrent how many tasks run at once, 1–4
 * @param maxAttempts how many times a task is tried before it fails for good
 * @param goals what the user wants done; biases the decision engine
 * @param agentPreferences which agents may work, in which order
 * @param focus which files work is picked from
 * @param prAutomation what happens to finished branches
 * @param agents extra or replaced ACP agents by id
 * @param stateDir where the database, worktrees, transcripts and reports live; empty means a
 *     per-user default
 * @param worktree how task worktrees are prepared and bounded
 * @param qualityGate the check a task's result must pass
 * @param limits spending caps and anti-hang timeouts
 * @param mcpServers MCP servers passed to every agent session
 * @param permissions how agents' permission requests are answered
 * @param decision decision engine tuning
 * @param store which store keeps the queue and history; empty means the one discovered (the SQLite
 *     file in the state folder when orchestration-sqlite is on the class path)
 * @param updatedAt when the file was last edited by a tool, epoch milliseconds (informational)
 * @param review whether and how an agent judges each task's result after the quality gate
 * @since 0.1.0
 */
public record OrchestrationConfig(
    String id,
    ConfigValue workspaceRoot,
    Schedule schedule,
    Constraints constraints,
    int timeBudgetSec,
    int maxConcurrent,
    int maxAttempts,
    List<String> goals,
    AgentPreferences agentPreferences,
    Focus focus,
    PrAutomation prAutomation,
    Map<String, AgentCommand> agents,
    Optional<ConfigValue> stateDir,
    WorktreeSettings worktree,
    QualityGate qualityGate,
    Limits limits,
    List<McpServer> mcpServers,
    Permissions permissions,
    DecisionSettings decision,
    Optional<StoreSettings> store,
    Optional<Long> updatedAt,
    ReviewSettings review) {

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

  /** Validates presence and copies collections (maps keep their order). */
  public OrchestrationConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(workspaceRoot, "workspaceRoot");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(constraints, "constraints");
    goals = List.copyOf(goals);
    Objects.requireNonNull(agentPreferences, "agentPreferences");
    Objects.requireNonNull(focus, "focus");
    Objects.requireNonNull(prAutomation, "prAutomation");
    agents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(agents));
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(worktree, "worktree");
    Objects.requireNonNull(qualityGate, "qualityGate");
    Objects.requireNonNull(limits, "limits");
    mcpServers = List.copyOf(mcpServers);
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(review, "review");
  }

  /** Starts a configuration for a workspace, with every other component at its default. */
  public static Builder builder(ConfigValue workspaceRoot) {
    return new Builder(workspaceRoot);
  }

  /** A builder initialised from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds an {@link OrchestrationConfig}. Not thread-safe; each setter replaces the previous
   * value.
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
    private ReviewSettings review = ReviewSettings.disabled();

    private Builder(ConfigValue workspaceRoot) {
      this.workspaceRoot = Objects.requireNonNull(workspaceRoot, "workspaceRoot");
    }

    private Builder(OrchestrationConfig c) {
      id = c.id;
      workspaceRoot = c.workspaceRoot;
      schedule = c.schedule;
      constraints = c.constraints;
      timeBudgetSec = c.timeBudgetSec;
      maxConcurrent = c.maxConcurrent;
      maxAttempts = c.maxAttempts;
      goals = c.goals;
      agentPreferences = c.agentPreferences;
      focus = c.focus;
      prAutomation = c.prAutomation;
      agents = c.agents;
      stateDir = c.stateDir;
      worktree = c.worktree;
      qualityGate = c.qualityGate;
      limits = c.limits;
      mcpServers = c.mcpServers;
      permissions = c.permissions;
      decision = c.decision;
      store = c.store;
      updatedAt = c.updatedAt;
      review = c.review;
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
      store = Optional.of(Objects.requireNonNull(value, "store"));
      return this;
    }

    /** Sets {@link OrchestrationConfig#store()}; empty for the discovered store. */
    public Builder store(Optional<StoreSettings> value) {
      store = Objects.requireNonNull(value, "store");
      return this;
    }

    /** Sets {@link OrchestrationConfig#updatedAt()}. */
    public Builder updatedAt(Optional<Long> value) {
      updatedAt = Objects.requireNonNull(value, "updatedAt");
      return this;
    }

    /** Sets {@link OrchestrationConfig#review()} (default {@link ReviewSettings#disabled()}). */
    public Builder review(ReviewSettings value) {
      review = Objects.requireNonNull(value, "review");
      return this;
    }

    /** Builds the configuration. */
    public OrchestrationConfig build() {
      return new OrchestrationConfig(
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
          review);
    }
  }
}
