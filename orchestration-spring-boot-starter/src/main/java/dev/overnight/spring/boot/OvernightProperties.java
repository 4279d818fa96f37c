package dev.overnight.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Overnight's settings in a Spring Boot application: the {@code overnight.*} properties.
 *
 * <p>Two kinds live here. The starter's own ({@code enabled}, {@code config-file}, {@code
 * use-data-source}, {@code lock-state-folder}, {@code worker-id}, {@code scheduler.*}) say how the
 * runtime lives in the application. The rest are Overnight's configuration, inline: each property
 * is the config file's key of the same name in kebab case ({@code overnight.schedule.window-start}
 * is {@code schedule.window_start}), read and validated by the same loader, so a property left out
 * gets the config's default and a wrong one is reported with the loader's words under its property
 * name. Inline settings and {@code config-file} are either-or.
 *
 * <p>Mutable, as Spring binds it; read once, when the runtime is assembled. Not thread-safe.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = "overnight")
public class OvernightProperties {
  /** Whether Overnight is auto-configured at all. */
  private boolean enabled = true;

  /**
   * An Overnight JSON config file to load instead of the inline settings below; its relative paths
   * resolve against its folder.
   */
  private String configFile;

  /**
   * Whether the application's PostgreSQL DataSource keeps Overnight's queue and history, when there
   * is one and the config names no store.
   */
  private boolean useDataSource = true;

  /**
   * Whether this application holds the state folder's lock, so no second Overnight uses it (and
   * what a dead previous holder left is recovered at start).
   */
  private boolean lockStateFolder = false;

  /** The worker id tasks are claimed under; default overnight-PID. */
  private String workerId;

  /** How the scheduler runs with the application context. */
  private Scheduler scheduler = new Scheduler();

  /**
   * A name for this configuration, used in logs, reports, metrics and state; default
   * spring.application.name, else "default" (id).
   */
  private String id;

  /** The git repository agents work on; required unless config-file is set (workspace_root). */
  private String workspaceRoot;

  /**
   * Where the database, worktrees, transcripts and reports live; default a per-user folder
   * (state_dir).
   */
  private String stateDir;

  /** When cycles run (schedule). */
  private Schedule schedule;

  /** What the machine must satisfy before a cycle runs (constraints). */
  private Constraints constraints;

  /** How long one cycle may run, 900-7200 seconds; default 1800 (time_budget_sec). */
  private Integer timeBudgetSec;

  /** How many tasks run at once, 1-4; default 2 (max_concurrent). */
  private Integer maxConcurrent;

  /** How many times a task is tried before it fails for good, 1-10; default 3 (max_attempts). */
  private Integer maxAttempts;

  /** What you want done; biases the decision engine (goals). */
  private List<String> goals;

  /** Which agents may work, in which order (agent_preferences). */
  private AgentPreferences agentPreferences;

  /** Which files work is picked from (focus). */
  private Focus focus;

  /** Extra or replaced ACP agents by id (agents). */
  private Map<String, Agent> agents;

  /** What happens to finished branches (pr_automation). */
  private PrAutomation prAutomation;

  /** How task worktrees are prepared and bounded (worktree). */
  private Worktree worktree;

  /** The check a task's result must pass (quality_gate). */
  private QualityGate qualityGate;

  /** Spending caps and anti-hang timeouts (limits). */
  private Limits limits;

  /** How agents' permission requests are answered (permissions). */
  private Permissions permissions;

  /** Decision engine tuning (decision). */
  private Decision decision;

  /** Which labelled GitHub issues become tasks (issues). */
  private Issues issues;

  /** How branches take in a moved base and overlapping tasks wait (conflicts). */
  private Conflicts conflicts;

  /** Where pipeline manifests are shared over Nostr (catalog). */
  private Catalog catalog;

  /** What pipelines' command steps may run (pipelines). */
  private Pipelines pipelines;

  /** Whether Overnight is auto-configured at all. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets {@link #isEnabled()}. */
  public void setEnabled(boolean value) {
    enabled = value;
  }

  /**
   * An Overnight JSON config file to load instead of the inline settings below; its relative paths
   * resolve against its folder.
   */
  public String getConfigFile() {
    return configFile;
  }

  /** Sets {@link #getConfigFile()}. */
  public void setConfigFile(String value) {
    configFile = value;
  }

  /**
   * Whether the application's PostgreSQL DataSource keeps Overnight's queue and history, when there
   * is one and the config names no store.
   */
  public boolean isUseDataSource() {
    return useDataSource;
  }

  /** Sets {@link #isUseDataSource()}. */
  public void setUseDataSource(boolean value) {
    useDataSource = value;
  }

  /**
   * Whether this application holds the state folder's lock, so no second Overnight uses it (and
   * what a dead previous holder left is recovered at start).
   */
  public boolean isLockStateFolder() {
    return lockStateFolder;
  }

  /** Sets {@link #isLockStateFolder()}. */
  public void setLockStateFolder(boolean value) {
    lockStateFolder = value;
  }

  /** The worker id tasks are claimed under; default overnight-PID. */
  public String getWorkerId() {
    return workerId;
  }

  /** Sets {@link #getWorkerId()}. */
  public void setWorkerId(String value) {
    workerId = value;
  }

  /** How the scheduler runs with the application context. */
  public Scheduler getScheduler() {
    return scheduler;
  }

  /** Sets {@link #getScheduler()}. */
  public void setScheduler(Scheduler value) {
    scheduler = value;
  }

  /**
   * A name for this configuration, used in logs, reports, metrics and state; default
   * spring.application.name, else "default" (id).
   */
  public String getId() {
    return id;
  }

  /** Sets {@link #getId()}. */
  public void setId(String value) {
    id = value;
  }

  /** The git repository agents work on; required unless config-file is set (workspace_root). */
  public String getWorkspaceRoot() {
    return workspaceRoot;
  }

  /** Sets {@link #getWorkspaceRoot()}. */
  public void setWorkspaceRoot(String value) {
    workspaceRoot = value;
  }

  /**
   * Where the database, worktrees, transcripts and reports live; default a per-user folder
   * (state_dir).
   */
  public String getStateDir() {
    return stateDir;
  }

  /** Sets {@link #getStateDir()}. */
  public void setStateDir(String value) {
    stateDir = value;
  }

  /** When cycles run (schedule). */
  public Schedule getSchedule() {
    return schedule;
  }

  /** Sets {@link #getSchedule()}. */
  public void setSchedule(Schedule value) {
    schedule = value;
  }

  /** What the machine must satisfy before a cycle runs (constraints). */
  public Constraints getConstraints() {
    return constraints;
  }

  /** Sets {@link #getConstraints()}. */
  public void setConstraints(Constraints value) {
    constraints = value;
  }

  /** How long one cycle may run, 900-7200 seconds; default 1800 (time_budget_sec). */
  public Integer getTimeBudgetSec() {
    return timeBudgetSec;
  }

  /** Sets {@link #getTimeBudgetSec()}. */
  public void setTimeBudgetSec(Integer value) {
    timeBudgetSec = value;
  }

  /** How many tasks run at once, 1-4; default 2 (max_concurrent). */
  public Integer getMaxConcurrent() {
    return maxConcurrent;
  }

  /** Sets {@link #getMaxConcurrent()}. */
  public void setMaxConcurrent(Integer value) {
    maxConcurrent = value;
  }

  /** How many times a task is tried before it fails for good, 1-10; default 3 (max_attempts). */
  public Integer getMaxAttempts() {
    return maxAttempts;
  }

  /** Sets {@link #getMaxAttempts()}. */
  public void setMaxAttempts(Integer value) {
    maxAttempts = value;
  }

  /** What you want done; biases the decision engine (goals). */
  public List<String> getGoals() {
    return goals;
  }

  /** Sets {@link #getGoals()}. */
  public void setGoals(List<String> value) {
    goals = value;
  }

  /** Which agents may work, in which order (agent_preferences). */
  public AgentPreferences getAgentPreferences() {
    return agentPreferences;
  }

  /** Sets {@link #getAgentPreferences()}. */
  public void setAgentPreferences(AgentPreferences value) {
    agentPreferences = value;
  }

  /** Which files work is picked from (focus). */
  public Focus getFocus() {
    return focus;
  }

  /** Sets {@link #getFocus()}. */
  public void setFocus(Focus value) {
    focus = value;
  }

  /** Extra or replaced ACP agents by id (agents). */
  public Map<String, Agent> getAgents() {
    return agents;
  }

  /** Sets {@link #getAgents()}. */
  public void setAgents(Map<String, Agent> value) {
    agents = value;
  }

  /** What happens to finished branches (pr_automation). */
  public PrAutomation getPrAutomation() {
    return prAutomation;
  }

  /** Sets {@link #getPrAutomation()}. */
  public void setPrAutomation(PrAutomation value) {
    prAutomation = value;
  }

  /** How task worktrees are prepared and bounded (worktree). */
  public Worktree getWorktree() {
    return worktree;
  }

  /** Sets {@link #getWorktree()}. */
  public void setWorktree(Worktree value) {
    worktree = value;
  }

  /** The check a task's result must pass (quality_gate). */
  public QualityGate getQualityGate() {
    return qualityGate;
  }

  /** Sets {@link #getQualityGate()}. */
  public void setQualityGate(QualityGate value) {
    qualityGate = value;
  }

  /** Spending caps and anti-hang timeouts (limits). */
  public Limits getLimits() {
    return limits;
  }

  /** Sets {@link #getLimits()}. */
  public void setLimits(Limits value) {
    limits = value;
  }

  /** How agents' permission requests are answered (permissions). */
  public Permissions getPermissions() {
    return permissions;
  }

  /** Sets {@link #getPermissions()}. */
  public void setPermissions(Permissions value) {
    permissions = value;
  }

  /** Decision engine tuning (decision). */
  public Decision getDecision() {
    return decision;
  }

  /** Sets {@link #getDecision()}. */
  public void setDecision(Decision value) {
    decision = value;
  }

  /** Which labelled GitHub issues become tasks (issues). */
  public Issues getIssues() {
    return issues;
  }

  /** Sets {@link #getIssues()}. */
  public void setIssues(Issues value) {
    issues = value;
  }

  /** How branches take in a moved base and overlapping tasks wait (conflicts). */
  public Conflicts getConflicts() {
    return conflicts;
  }

  /** Sets {@link #getConflicts()}. */
  public void setConflicts(Conflicts value) {
    conflicts = value;
  }

  /** Where pipeline manifests are shared over Nostr (catalog). */
  public Catalog getCatalog() {
    return catalog;
  }

  /** Sets {@link #getCatalog()}. */
  public void setCatalog(Catalog value) {
    catalog = value;
  }

  /** What pipelines' command steps may run (pipelines). */
  public Pipelines getPipelines() {
    return pipelines;
  }

  /** Sets {@link #getPipelines()}. */
  public void setPipelines(Pipelines value) {
    pipelines = value;
  }

  /** How the scheduler lives with the application context. */
  public static class Scheduler {
    /**
     * Whether the scheduler starts with the application context; off, cycles run only when the
     * application calls runOnce().
     */
    private boolean autoStart = true;

    /** How long stopping waits for a running cycle; default the cancel grace period plus 30 s. */
    private Duration shutdownTimeout;

    /**
     * Whether the scheduler starts with the application context; off, cycles run only when the
     * application calls runOnce().
     */
    public boolean isAutoStart() {
      return autoStart;
    }

    /** Sets {@link #isAutoStart()}. */
    public void setAutoStart(boolean value) {
      autoStart = value;
    }

    /** How long stopping waits for a running cycle; default the cancel grace period plus 30 s. */
    public Duration getShutdownTimeout() {
      return shutdownTimeout;
    }

    /** Sets {@link #getShutdownTimeout()}. */
    public void setShutdownTimeout(Duration value) {
      shutdownTimeout = value;
    }
  }

  /** When cycles run: the config's {@code schedule}. */
  public static class Schedule {
    /** The cron expression (five fields), e.g. "0,30 1-5 * * *"; required when schedule is set. */
    private String expression;

    /** Start of the window, HH:mm, inclusive. */
    private String windowStart;

    /** End of the window, HH:mm, exclusive. */
    private String windowEnd;

    /** The IANA zone the expression and window are read in; default the system's. */
    private String timezone;

    /** Random delay after each cron time, 0-3600000 ms; default 0. */
    private Long jitterMs;

    /** What to do about missed occurrences: skip or run_once_at_next_opportunity; default skip. */
    private String onMissed;

    /** The cron expression (five fields), e.g. "0,30 1-5 * * *"; required when schedule is set. */
    public String getExpression() {
      return expression;
    }

    /** Sets {@link #getExpression()}. */
    public void setExpression(String value) {
      expression = value;
    }

    /** Start of the window, HH:mm, inclusive. */
    public String getWindowStart() {
      return windowStart;
    }

    /** Sets {@link #getWindowStart()}. */
    public void setWindowStart(String value) {
      windowStart = value;
    }

    /** End of the window, HH:mm, exclusive. */
    public String getWindowEnd() {
      return windowEnd;
    }

    /** Sets {@link #getWindowEnd()}. */
    public void setWindowEnd(String value) {
      windowEnd = value;
    }

    /** The IANA zone the expression and window are read in; default the system's. */
    public String getTimezone() {
      return timezone;
    }

    /** Sets {@link #getTimezone()}. */
    public void setTimezone(String value) {
      timezone = value;
    }

    /** Random delay after each cron time, 0-3600000 ms; default 0. */
    public Long getJitterMs() {
      return jitterMs;
    }

    /** Sets {@link #getJitterMs()}. */
    public void setJitterMs(Long value) {
      jitterMs = value;
    }

    /** What to do about missed occurrences: skip or run_once_at_next_opportunity; default skip. */
    public String getOnMissed() {
      return onMissed;
    }

    /** Sets {@link #getOnMissed()}. */
    public void setOnMissed(String value) {
      onMissed = value;
    }
  }

  /** What the machine must satisfy before a cycle runs: the config's {@code constraints}. */
  public static class Constraints {
    /** Run only on AC power; default false. */
    private Boolean pluggedIn;

    /** Run only when the primary network interface is Wi-Fi; default false. */
    private Boolean wifiOnly;

    /** With wifi-only, also accept a wired primary interface; default false. */
    private Boolean allowWired;

    /** Run only while total CPU use is at or below this percentage, 1-100. */
    private Double cpuMaxPercentage;

    /** Do not run while Do Not Disturb / Focus is on; default false. */
    private Boolean respectDnd;

    /** Do not run while the user is active; default false. */
    private Boolean suspendIfActive;

    /** With suspend-if-active, how long the user must have been idle, 1-1440; default 10. */
    private Integer idleMinutes;

    /** How a checker that cannot tell is treated: fail or pass; default fail. */
    private String onUnknown;

    /** How long each checker may take, 100-60000 ms. */
    private Long checkTimeoutMs;

    /** How often unsatisfied constraints are checked again, 10-3600 s. */
    private Long recheckIntervalSec;

    /** Run only on AC power; default false. */
    public Boolean getPluggedIn() {
      return pluggedIn;
    }

    /** Sets {@link #getPluggedIn()}. */
    public void setPluggedIn(Boolean value) {
      pluggedIn = value;
    }

    /** Run only when the primary network interface is Wi-Fi; default false. */
    public Boolean getWifiOnly() {
      return wifiOnly;
    }

    /** Sets {@link #getWifiOnly()}. */
    public void setWifiOnly(Boolean value) {
      wifiOnly = value;
    }

    /** With wifi-only, also accept a wired primary interface; default false. */
    public Boolean getAllowWired() {
      return allowWired;
    }

    /** Sets {@link #getAllowWired()}. */
    public void setAllowWired(Boolean value) {
      allowWired = value;
    }

    /** Run only while total CPU use is at or below this percentage, 1-100. */
    public Double getCpuMaxPercentage() {
      return cpuMaxPercentage;
    }

    /** Sets {@link #getCpuMaxPercentage()}. */
    public void setCpuMaxPercentage(Double value) {
      cpuMaxPercentage = value;
    }

    /** Do not run while Do Not Disturb / Focus is on; default false. */
    public Boolean getRespectDnd() {
      return respectDnd;
    }

    /** Sets {@link #getRespectDnd()}. */
    public void setRespectDnd(Boolean value) {
      respectDnd = value;
    }

    /** Do not run while the user is active; default false. */
    public Boolean getSuspendIfActive() {
      return suspendIfActive;
    }

    /** Sets {@link #getSuspendIfActive()}. */
    public void setSuspendIfActive(Boolean value) {
      suspendIfActive = value;
    }

    /** With suspend-if-active, how long the user must have been idle, 1-1440; default 10. */
    public Integer getIdleMinutes() {
      return idleMinutes;
    }

    /** Sets {@link #getIdleMinutes()}. */
    public void setIdleMinutes(Integer value) {
      idleMinutes = value;
    }

    /** How a checker that cannot tell is treated: fail or pass; default fail. */
    public String getOnUnknown() {
      return onUnknown;
    }

    /** Sets {@link #getOnUnknown()}. */
    public void setOnUnknown(String value) {
      onUnknown = value;
    }

    /** How long each checker may take, 100-60000 ms. */
    public Long getCheckTimeoutMs() {
      return checkTimeoutMs;
    }

    /** Sets {@link #getCheckTimeoutMs()}. */
    public void setCheckTimeoutMs(Long value) {
      checkTimeoutMs = value;
    }

    /** How often unsatisfied constraints are checked again, 10-3600 s. */
    public Long getRecheckIntervalSec() {
      return recheckIntervalSec;
    }

    /** Sets {@link #getRecheckIntervalSec()}. */
    public void setRecheckIntervalSec(Long value) {
      recheckIntervalSec = value;
    }
  }

  /** Which agents may work: the config's {@code agent_preferences}. */
  public static class AgentPreferences {
    /** Agent ids to use, in order of preference. */
    private List<String> prefer;

    /** Agent ids that may be used; empty allows every available one. */
    private List<String> allow;

    /** Agent ids to use, in order of preference. */
    public List<String> getPrefer() {
      return prefer;
    }

    /** Sets {@link #getPrefer()}. */
    public void setPrefer(List<String> value) {
      prefer = value;
    }

    /** Agent ids that may be used; empty allows every available one. */
    public List<String> getAllow() {
      return allow;
    }

    /** Sets {@link #getAllow()}. */
    public void setAllow(List<String> value) {
      allow = value;
    }
  }

  /** Which files work is picked from: the config's {@code focus}. */
  public static class Focus {
    /** Globs of files work is picked from; empty means every file. */
    private List<String> include;

    /** Globs of files never picked. */
    private List<String> exclude;

    /** Globs of files work is picked from; empty means every file. */
    public List<String> getInclude() {
      return include;
    }

    /** Sets {@link #getInclude()}. */
    public void setInclude(List<String> value) {
      include = value;
    }

    /** Globs of files never picked. */
    public List<String> getExclude() {
      return exclude;
    }

    /** Sets {@link #getExclude()}. */
    public void setExclude(List<String> value) {
      exclude = value;
    }
  }

  /** An ACP agent started by command: an entry of the config's {@code agents}. */
  public static class Agent {
    /** The command that starts the ACP agent. */
    private String command;

    /** Its arguments. */
    private List<String> args;

    /** Extra environment variables for it. */
    private Map<String, String> env;

    /** The session mode to ask for, if the agent has modes. */
    private String mode;

    /** The command that starts the ACP agent. */
    public String getCommand() {
      return command;
    }

    /** Sets {@link #getCommand()}. */
    public void setCommand(String value) {
      command = value;
    }

    /** Its arguments. */
    public List<String> getArgs() {
      return args;
    }

    /** Sets {@link #getArgs()}. */
    public void setArgs(List<String> value) {
      args = value;
    }

    /** Extra environment variables for it. */
    public Map<String, String> getEnv() {
      return env;
    }

    /** Sets {@link #getEnv()}. */
    public void setEnv(Map<String, String> value) {
      env = value;
    }

    /** The session mode to ask for, if the agent has modes. */
    public String getMode() {
      return mode;
    }

    /** Sets {@link #getMode()}. */
    public void setMode(String value) {
      mode = value;
    }
  }

  /** What happens to finished branches: the config's {@code pr_automation}. */
  public static class PrAutomation {
    /** Whether to commit, push and open pull requests at all; default false. */
    private Boolean enabled;

    /** Open pull requests as drafts; default true. */
    private Boolean draft;

    /** Prefix of every task branch; default "overnight/". */
    private String branchPrefix;

    /** The branch task branches start from and pull requests target; default the current one. */
    private String baseBranch;

    /** Push task branches to the remote; default false. */
    private Boolean push;

    /** The git remote to push to; default origin. */
    private String remote;

    /** How finished pull requests get follow-up turns on failing checks and reviews. */
    private FollowUps followUps;

    /** Whether to commit, push and open pull requests at all; default false. */
    public Boolean getEnabled() {
      return enabled;
    }

    /** Sets {@link #getEnabled()}. */
    public void setEnabled(Boolean value) {
      enabled = value;
    }

    /** Open pull requests as drafts; default true. */
    public Boolean getDraft() {
      return draft;
    }

    /** Sets {@link #getDraft()}. */
    public void setDraft(Boolean value) {
      draft = value;
    }

    /** Prefix of every task branch; default "overnight/". */
    public String getBranchPrefix() {
      return branchPrefix;
    }

    /** Sets {@link #getBranchPrefix()}. */
    public void setBranchPrefix(String value) {
      branchPrefix = value;
    }

    /** The branch task branches start from and pull requests target; default the current one. */
    public String getBaseBranch() {
      return baseBranch;
    }

    /** Sets {@link #getBaseBranch()}. */
    public void setBaseBranch(String value) {
      baseBranch = value;
    }

    /** Push task branches to the remote; default false. */
    public Boolean getPush() {
      return push;
    }

    /** Sets {@link #getPush()}. */
    public void setPush(Boolean value) {
      push = value;
    }

    /** The git remote to push to; default origin. */
    public String getRemote() {
      return remote;
    }

    /** Sets {@link #getRemote()}. */
    public void setRemote(String value) {
      remote = value;
    }

    /** How finished pull requests get follow-up turns on failing checks and reviews. */
    public FollowUps getFollowUps() {
      return followUps;
    }

    /** Sets {@link #getFollowUps()}. */
    public void setFollowUps(FollowUps value) {
      followUps = value;
    }
  }

  /** How task worktrees are prepared: the config's {@code worktree}. */
  public static class Worktree {
    /** A shell command run in a fresh worktree before the agent starts. */
    private String setupCommand;

    /** Files copied from your checkout into each fresh worktree. */
    private List<String> copyFiles;

    /** Disk all worktrees together may use, 100-1000000 MB. */
    private Long maxDiskMb;

    /** Keep the worktree of a failed task for inspection; default false. */
    private Boolean keepFailed;

    /** A shell command run in a fresh worktree before the agent starts. */
    public String getSetupCommand() {
      return setupCommand;
    }

    /** Sets {@link #getSetupCommand()}. */
    public void setSetupCommand(String value) {
      setupCommand = value;
    }

    /** Files copied from your checkout into each fresh worktree. */
    public List<String> getCopyFiles() {
      return copyFiles;
    }

    /** Sets {@link #getCopyFiles()}. */
    public void setCopyFiles(List<String> value) {
      copyFiles = value;
    }

    /** Disk all worktrees together may use, 100-1000000 MB. */
    public Long getMaxDiskMb() {
      return maxDiskMb;
    }

    /** Sets {@link #getMaxDiskMb()}. */
    public void setMaxDiskMb(Long value) {
      maxDiskMb = value;
    }

    /** Keep the worktree of a failed task for inspection; default false. */
    public Boolean getKeepFailed() {
      return keepFailed;
    }

    /** Sets {@link #getKeepFailed()}. */
    public void setKeepFailed(Boolean value) {
      keepFailed = value;
    }
  }

  /** The check a task's result must pass: the config's {@code quality_gate}. */
  public static class QualityGate {
    /** The shell command a task's result must pass (exit code 0); none disables the gate. */
    private String verifyCommand;

    /** How long the command may run, 10-7200 s. */
    private Integer timeoutSec;

    /** On failure, send the output back to the agent for more turns; default true. */
    private Boolean retryWithAgent;

    /** How many extra turns a failing gate may get, 0-5; default 1. */
    private Integer maxRetries;

    /** The shell command a task's result must pass (exit code 0); none disables the gate. */
    public String getVerifyCommand() {
      return verifyCommand;
    }

    /** Sets {@link #getVerifyCommand()}. */
    public void setVerifyCommand(String value) {
      verifyCommand = value;
    }

    /** How long the command may run, 10-7200 s. */
    public Integer getTimeoutSec() {
      return timeoutSec;
    }

    /** Sets {@link #getTimeoutSec()}. */
    public void setTimeoutSec(Integer value) {
      timeoutSec = value;
    }

    /** On failure, send the output back to the agent for more turns; default true. */
    public Boolean getRetryWithAgent() {
      return retryWithAgent;
    }

    /** Sets {@link #getRetryWithAgent()}. */
    public void setRetryWithAgent(Boolean value) {
      retryWithAgent = value;
    }

    /** How many extra turns a failing gate may get, 0-5; default 1. */
    public Integer getMaxRetries() {
      return maxRetries;
    }

    /** Sets {@link #getMaxRetries()}. */
    public void setMaxRetries(Integer value) {
      maxRetries = value;
    }
  }

  /** Spending caps and anti-hang timeouts: the config's {@code limits}. */
  public static class Limits {
    /** Caps over the whole night. */
    private SpendingLimit perNight;

    /** Caps per task. */
    private SpendingLimit perTask;

    /** A session with no update for this long is treated as stuck, 30-7200 s. */
    private Integer stuckAfterSec;

    /** After a cancel, how long an agent gets before its process is killed, 1-600 s. */
    private Integer cancelGraceSec;

    /**
     * How many times in a row an agent may fail to start before it is parked for the night, 1-100.
     */
    private Integer startFailuresBeforePark;

    /** Caps over the whole night. */
    public SpendingLimit getPerNight() {
      return perNight;
    }

    /** Sets {@link #getPerNight()}. */
    public void setPerNight(SpendingLimit value) {
      perNight = value;
    }

    /** Caps per task. */
    public SpendingLimit getPerTask() {
      return perTask;
    }

    /** Sets {@link #getPerTask()}. */
    public void setPerTask(SpendingLimit value) {
      perTask = value;
    }

    /** A session with no update for this long is treated as stuck, 30-7200 s. */
    public Integer getStuckAfterSec() {
      return stuckAfterSec;
    }

    /** Sets {@link #getStuckAfterSec()}. */
    public void setStuckAfterSec(Integer value) {
      stuckAfterSec = value;
    }

    /** After a cancel, how long an agent gets before its process is killed, 1-600 s. */
    public Integer getCancelGraceSec() {
      return cancelGraceSec;
    }

    /** Sets {@link #getCancelGraceSec()}. */
    public void setCancelGraceSec(Integer value) {
      cancelGraceSec = value;
    }

    /**
     * How many times in a row an agent may fail to start before it is parked for the night, 1-100.
     */
    public Integer getStartFailuresBeforePark() {
      return startFailuresBeforePark;
    }

    /** Sets {@link #getStartFailuresBeforePark()}. */
    public void setStartFailuresBeforePark(Integer value) {
      startFailuresBeforePark = value;
    }
  }

  /** Caps on what agents spend: the config's {@code limits.per_night} or {@code per_task}. */
  public static class SpendingLimit {
    /** Total tokens (input plus output) reported by the agents. */
    private Long tokens;

    /** Cost reported by the agents, in US dollars. */
    private Double costUsd;

    /** Wall-clock seconds agents have run. */
    private Long agentSeconds;

    /** Total tokens (input plus output) reported by the agents. */
    public Long getTokens() {
      return tokens;
    }

    /** Sets {@link #getTokens()}. */
    public void setTokens(Long value) {
      tokens = value;
    }

    /** Cost reported by the agents, in US dollars. */
    public Double getCostUsd() {
      return costUsd;
    }

    /** Sets {@link #getCostUsd()}. */
    public void setCostUsd(Double value) {
      costUsd = value;
    }

    /** Wall-clock seconds agents have run. */
    public Long getAgentSeconds() {
      return agentSeconds;
    }

    /** Sets {@link #getAgentSeconds()}. */
    public void setAgentSeconds(Long value) {
      agentSeconds = value;
    }
  }

  /** How agents' permission requests are answered: the config's {@code permissions}. */
  public static class Permissions {
    /**
     * How agents' permission requests are answered: unattended, read_only or allow_all; default
     * unattended.
     */
    private String mode;

    /** In unattended mode, also allow network fetches; default false. */
    private Boolean allowFetch;

    /**
     * Whether agents' commands run in a sandbox: required, best_effort or off; default required.
     */
    private String sandbox;

    /** Whether sandboxed commands may use the network; default false. */
    private Boolean allowNetwork;

    /**
     * How agents' permission requests are answered: unattended, read_only or allow_all; default
     * unattended.
     */
    public String getMode() {
      return mode;
    }

    /** Sets {@link #getMode()}. */
    public void setMode(String value) {
      mode = value;
    }

    /** In unattended mode, also allow network fetches; default false. */
    public Boolean getAllowFetch() {
      return allowFetch;
    }

    /** Sets {@link #getAllowFetch()}. */
    public void setAllowFetch(Boolean value) {
      allowFetch = value;
    }

    /**
     * Whether agents' commands run in a sandbox: required, best_effort or off; default required.
     */
    public String getSandbox() {
      return sandbox;
    }

    /** Sets {@link #getSandbox()}. */
    public void setSandbox(String value) {
      sandbox = value;
    }

    /** Whether sandboxed commands may use the network; default false. */
    public Boolean getAllowNetwork() {
      return allowNetwork;
    }

    /** Sets {@link #getAllowNetwork()}. */
    public void setAllowNetwork(Boolean value) {
      allowNetwork = value;
    }
  }

  /** Decision engine tuning: the config's {@code decision}. */
  public static class Decision {
    /** The decision engine, by its provider's name; default evidence. */
    private String engine;

    /** How far back git and session history are read, 1-365 days. */
    private Integer lookbackDays;

    /** A file touched more often than this becomes a refactoring candidate, 1-1000. */
    private Integer refactorThreshold;

    /** Which session histories to read, by their providers' names. */
    private List<String> historySources;

    /** Which candidate sources to use, by their providers' names; empty means all. */
    private List<String> sources;

    /** A command that writes a coverage report the engine reads. */
    private String coverageCommand;

    /** How many recent commits to read when the lookback holds none, 1-100000. */
    private Integer recentCommits;

    /** The decision engine, by its provider's name; default evidence. */
    public String getEngine() {
      return engine;
    }

    /** Sets {@link #getEngine()}. */
    public void setEngine(String value) {
      engine = value;
    }

    /** How far back git and session history are read, 1-365 days. */
    public Integer getLookbackDays() {
      return lookbackDays;
    }

    /** Sets {@link #getLookbackDays()}. */
    public void setLookbackDays(Integer value) {
      lookbackDays = value;
    }

    /** A file touched more often than this becomes a refactoring candidate, 1-1000. */
    public Integer getRefactorThreshold() {
      return refactorThreshold;
    }

    /** Sets {@link #getRefactorThreshold()}. */
    public void setRefactorThreshold(Integer value) {
      refactorThreshold = value;
    }

    /** Which session histories to read, by their providers' names. */
    public List<String> getHistorySources() {
      return historySources;
    }

    /** Sets {@link #getHistorySources()}. */
    public void setHistorySources(List<String> value) {
      historySources = value;
    }

    /** Which candidate sources to use, by their providers' names; empty means all. */
    public List<String> getSources() {
      return sources;
    }

    /** Sets {@link #getSources()}. */
    public void setSources(List<String> value) {
      sources = value;
    }

    /** A command that writes a coverage report the engine reads. */
    public String getCoverageCommand() {
      return coverageCommand;
    }

    /** Sets {@link #getCoverageCommand()}. */
    public void setCoverageCommand(String value) {
      coverageCommand = value;
    }

    /** How many recent commits to read when the lookback holds none, 1-100000. */
    public Integer getRecentCommits() {
      return recentCommits;
    }

    /** Sets {@link #getRecentCommits()}. */
    public void setRecentCommits(Integer value) {
      recentCommits = value;
    }
  }

  /**
   * Follow-up turns on Overnight's pull requests: the config's {@code pr_automation.follow_ups}.
   */
  public static class FollowUps {
    /**
     * Follow-ups on one pull request for a failing check or a review asking for changes, 0-100 (0
     * turns them off); default 3.
     */
    private Integer perPr;

    /** Follow-ups started in any twelve hours, 0-100; default 10. */
    private Integer perNight;

    /**
     * Whether follow-ups also run outside the schedule's window (only follow-ups, as the
     * constraints allow, at most per-night of them from one night to the next); default false.
     */
    private Boolean inDay;

    /**
     * How often open pull requests are watched outside the window when in-day, 60-86400 seconds;
     * default 900.
     */
    private Long dayIntervalSec;

    /**
     * Follow-ups on one pull request for a failing check or a review asking for changes, 0-100 (0
     * turns them off); default 3.
     */
    public Integer getPerPr() {
      return perPr;
    }

    /** Sets {@link #getPerPr()}. */
    public void setPerPr(Integer value) {
      perPr = value;
    }

    /** Follow-ups started in any twelve hours, 0-100; default 10. */
    public Integer getPerNight() {
      return perNight;
    }

    /** Sets {@link #getPerNight()}. */
    public void setPerNight(Integer value) {
      perNight = value;
    }

    /**
     * Whether follow-ups also run outside the schedule's window (only follow-ups, as the
     * constraints allow, at most per-night of them from one night to the next); default false.
     */
    public Boolean getInDay() {
      return inDay;
    }

    /** Sets {@link #getInDay()}. */
    public void setInDay(Boolean value) {
      inDay = value;
    }

    /**
     * How often open pull requests are watched outside the window when in-day, 60-86400 seconds;
     * default 900.
     */
    public Long getDayIntervalSec() {
      return dayIntervalSec;
    }

    /** Sets {@link #getDayIntervalSec()}. */
    public void setDayIntervalSec(Long value) {
      dayIntervalSec = value;
    }
  }

  /** Which labelled GitHub issues become tasks: the config's {@code issues}. */
  public static class Issues {
    /** Whether the repository's open issues with the label become tasks; default false. */
    private Boolean enabled;

    /** The label that makes an issue a task, 1-50 characters without commas; default overnight. */
    private String label;

    /**
     * Label to a task's priority (high, medium or low), tried in order; an issue with none is
     * medium.
     */
    private Map<String, String> priorityLabels;

    /** Whether the repository's open issues with the label become tasks; default false. */
    public Boolean getEnabled() {
      return enabled;
    }

    /** Sets {@link #getEnabled()}. */
    public void setEnabled(Boolean value) {
      enabled = value;
    }

    /** The label that makes an issue a task, 1-50 characters without commas; default overnight. */
    public String getLabel() {
      return label;
    }

    /** Sets {@link #getLabel()}. */
    public void setLabel(String value) {
      label = value;
    }

    /**
     * Label to a task's priority (high, medium or low), tried in order; an issue with none is
     * medium.
     */
    public Map<String, String> getPriorityLabels() {
      return priorityLabels;
    }

    /** Sets {@link #getPriorityLabels()}. */
    public void setPriorityLabels(Map<String, String> value) {
      priorityLabels = value;
    }
  }

  /**
   * How branches take in a moved base and what overlapping tasks do: the config's {@code
   * conflicts}.
   */
  public static class Conflicts {
    /**
     * How a branch takes in its moved base: rebase (a branch a human pushed to gets the base merged
     * instead) or merge; default rebase.
     */
    private String strategy;

    /**
     * When two tasks' files overlap, whether the second starts from the base once the first
     * finished (wait) or from the first's branch (stack); default wait.
     */
    private String overlap;

    /**
     * Recent commits read for files changed together, 0-100000 (0: the target files only); default
     * 500.
     */
    private Integer historyCommits;

    /**
     * How a branch takes in its moved base: rebase (a branch a human pushed to gets the base merged
     * instead) or merge; default rebase.
     */
    public String getStrategy() {
      return strategy;
    }

    /** Sets {@link #getStrategy()}. */
    public void setStrategy(String value) {
      strategy = value;
    }

    /**
     * When two tasks' files overlap, whether the second starts from the base once the first
     * finished (wait) or from the first's branch (stack); default wait.
     */
    public String getOverlap() {
      return overlap;
    }

    /** Sets {@link #getOverlap()}. */
    public void setOverlap(String value) {
      overlap = value;
    }

    /**
     * Recent commits read for files changed together, 0-100000 (0: the target files only); default
     * 500.
     */
    public Integer getHistoryCommits() {
      return historyCommits;
    }

    /** Sets {@link #getHistoryCommits()}. */
    public void setHistoryCommits(Integer value) {
      historyCommits = value;
    }
  }

  /** Where pipeline manifests are published and searched: the config's {@code catalog}. */
  public static class Catalog {
    /** The Nostr relays manifests are published to and searched on, ws:// or wss:// URLs. */
    private List<String> relays;

    /** The event kind of a manifest, 30000-39999; default 30078 (NIP-78's application data). */
    private Integer kind;

    /** The Nostr relays manifests are published to and searched on, ws:// or wss:// URLs. */
    public List<String> getRelays() {
      return relays;
    }

    /** Sets {@link #getRelays()}. */
    public void setRelays(List<String> value) {
      relays = value;
    }

    /** The event kind of a manifest, 30000-39999; default 30078 (NIP-78's application data). */
    public Integer getKind() {
      return kind;
    }

    /** Sets {@link #getKind()}. */
    public void setKind(Integer value) {
      kind = value;
    }
  }

  /** What pipelines' command steps may run: the config's {@code pipelines}. */
  public static class Pipelines {
    /**
     * The programs command steps may run, each a name or an absolute path; default the first word
     * of the quality gate's verify command and of the worktree's setup command; an empty list
     * allows none.
     */
    private List<String> allowedPrograms;

    /**
     * The programs command steps may run, each a name or an absolute path; default the first word
     * of the quality gate's verify command and of the worktree's setup command; an empty list
     * allows none.
     */
    public List<String> getAllowedPrograms() {
      return allowedPrograms;
    }

    /** Sets {@link #getAllowedPrograms()}. */
    public void setAllowedPrograms(List<String> value) {
      allowedPrograms = value;
    }
  }
}
