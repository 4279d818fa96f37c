package dev.overnight.core.config.internal;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.agent.BuiltInAgents;
import dev.overnight.api.agent.McpServer;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.AgentPlanning;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.config.CatalogSettings;
import dev.overnight.api.config.CheckerCommand;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.FleetSettings;
import dev.overnight.api.config.Focus;
import dev.overnight.api.config.IssueSettings;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.Permissions;
import dev.overnight.api.config.PipelineSettings;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.config.ReviewSettings;
import dev.overnight.api.config.SandboxMode;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.config.StoreSettings;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.config.WorktreeSettings;
import dev.overnight.api.fleet.Labels;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns a parsed config document into an {@link OrchestrationConfig}, checking every rule and
 * recording every problem with its JSON path.
 *
 * <p>One instance reads one document. Messages keep the original design's bounds and wording where
 * it had them (900–7200 s budget, 1–4 concurrent tasks, jitter up to an hour, {@code HH:mm}
 * windows, branch prefix characters).
 */
public final class ConfigReader {
  /** Agents Overnight knows without an {@code agents} entry. */
  private static final Pattern TIME = Pattern.compile("^([01][0-9]|2[0-3]):[0-5][0-9]$");

  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
  private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
  private static final List<String> STORE_KINDS =
      List.of(StoreSettings.SQLITE, StoreSettings.POSTGRES);

  /** What only a database store has: the SQLite store is a file in the state folder. */
  private static final List<String> STORE_POSTGRES_ONLY =
      List.of(
          "url",
          "user",
          "password_env",
          "connect_timeout_ms",
          "statement_timeout_ms",
          "socket_timeout_ms",
          "lock_timeout_ms");

  private static final String POSTGRES_URL = "jdbc:postgresql://";
  private static final Pattern AGENT_ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
  private static final Pattern BRANCH_PREFIX = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]*$");
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final Problems problems = new Problems();
  private final Variables variables;
  private final Path baseDir;
  private final ObjectMapper mapper;
  private final KnownNames known;
  private final boolean requireRepository;

  /**
   * The plugin names a config may use, as the providers on the class path serve them.
   *
   * @param historySources names of session history sources
   * @param decisionEngines names of decision engines
   * @param candidateSources names of candidate sources
   */
  public record KnownNames(
      Set<String> historySources, Set<String> decisionEngines, Set<String> candidateSources) {
    /** Copies the sets, sorted. */
    public KnownNames {
      historySources = java.util.Collections.unmodifiableSet(new TreeSet<>(historySources));
      decisionEngines = java.util.Collections.unmodifiableSet(new TreeSet<>(decisionEngines));
      candidateSources = java.util.Collections.unmodifiableSet(new TreeSet<>(candidateSources));
    }

    /** Names without candidate sources. */
    public KnownNames(Set<String> historySources, Set<String> decisionEngines) {
      this(historySources, decisionEngines, Set.of());
    }
  }

  /**
   * Creates a reader.
   *
   * @param variables expands variables in path fields
   * @param baseDir relative paths resolve against it (the config file's folder)
   * @param mapper converts free-form plugin settings to plain Java values
   * @param known the plugin names the document may use
   * @param requireRepository whether to run git to check that the workspace is a repository with a
   *     commit
   */
  public ConfigReader(
      Variables variables,
      Path baseDir,
      ObjectMapper mapper,
      KnownNames known,
      boolean requireRepository) {
    this.variables = variables;
    this.baseDir = baseDir;
    this.mapper = mapper;
    this.known = known;
    this.requireRepository = requireRepository;
  }

  /** The problems found so far. */
  public Problems problems() {
    return problems;
  }

  /** Reads the document; returns empty if any problem was found. */
  public Optional<OrchestrationConfig> read(JsonNode root) {
    if (!root.isObject()) {
      problems.add("", "expected a JSON object but found " + JsonObject.describe(root));
      return Optional.empty();
    }
    JsonObject o = new JsonObject(root, "", problems);

    String id = o.requiredString("id").orElse("default");
    if (o.has("id") && !problems.hasAt("/id") && !ID.matcher(id).matches()) {
      problems.add(
          "/id",
          "\""
              + id
              + "\" is not a valid id: use letters, digits, '.', '_' or '-' (at most 64, starting"
              + " with a letter or digit)");
    }
    Optional<ConfigValue> workspace =
        o.has("workspace_root") ? path(o, "workspace_root") : missingThen(o, "workspace_root");
    Schedule schedule =
        o.object("schedule")
            .map(this::schedule)
            .orElseGet(
                () -> {
                  if (!o.has("schedule")) {
                    o.missing("schedule");
                  }
                  return Schedule.cron("* * * * *");
                });
    Constraints constraints =
        o.object("constraints").map(this::constraints).orElse(Constraints.none());
    int budget =
        o.integer(
                "time_budget_sec",
                OrchestrationConfig.MIN_TIME_BUDGET_SEC,
                OrchestrationConfig.MAX_TIME_BUDGET_SEC,
                "between 900 (15 min) and 7200 (2 hours)")
            .map(Long::intValue)
            .orElse(OrchestrationConfig.DEFAULT_TIME_BUDGET_SEC);
    int concurrent =
        o.integer("max_concurrent", 1, OrchestrationConfig.MAX_CONCURRENT, "between 1 and 4")
            .map(Long::intValue)
            .orElse(OrchestrationConfig.DEFAULT_MAX_CONCURRENT);
    int attempts =
        o.integer("max_attempts", 1, 10, "between 1 and 10")
            .map(Long::intValue)
            .orElse(OrchestrationConfig.DEFAULT_MAX_ATTEMPTS);
    List<String> goals = o.strings("goals");
    for (int i = 0; i < goals.size(); i++) {
      if (goals.get(i).isBlank()) {
        problems.add("/goals/" + i, "a goal must not be empty");
      }
    }
    Map<String, AgentCommand> agents = o.object("agents").map(this::agents).orElse(Map.of());
    AgentPreferences preferences =
        o.object("agent_preferences")
            .map(p -> preferences(p, agents.keySet()))
            .orElse(AgentPreferences.none());
    Focus focus = o.object("focus").map(this::focus).orElse(Focus.everything());
    PrAutomation pr =
        o.object("pr_automation").map(this::prAutomation).orElse(PrAutomation.disabled());
    Optional<ConfigValue> stateDir = o.has("state_dir") ? path(o, "state_dir") : Optional.empty();
    WorktreeSettings worktree =
        o.object("worktree").map(this::worktree).orElse(WorktreeSettings.defaults());
    QualityGate gate = o.object("quality_gate").map(this::qualityGate).orElse(QualityGate.none());
    Limits limits = o.object("limits").map(this::limits).orElse(Limits.defaults());
    List<McpServer> mcp = mcpServers(o);
    Permissions permissions =
        o.object("permissions").map(this::permissions).orElse(Permissions.unattended());
    DecisionSettings decision =
        o.object("decision")
            .map(d -> decision(d, agents.keySet()))
            .orElse(DecisionSettings.defaults());
    Optional<StoreSettings> store = o.object("store").flatMap(this::store);
    ReviewSettings review =
        o.object("review").map(r -> review(r, agents.keySet())).orElse(ReviewSettings.disabled());
    Optional<Long> updatedAt = o.integer("updated_at", 0, Long.MAX_VALUE, "a non-negative integer");
    List<NotifierSettings> notifications = new NotificationsReader(problems, mapper).read(o);
    FleetSettings fleet = o.object("fleet").map(this::fleet).orElse(FleetSettings.none());
    IssueSettings issues = new IssuesReader(problems).read(o);
    ConflictSettings conflicts = new ConflictsReader(problems).read(o);
    CatalogSettings catalog = new CatalogReader(problems).read(o);
    PipelineSettings pipelines = new PipelinesReader(problems).read(o);
    o.finish();

    workspace.ifPresent(w -> checkWorkspace(w, pr.enabled()));
    stateDir.ifPresent(this::checkStateDir);

    if (!problems.isEmpty() || workspace.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        OrchestrationConfig.builder(workspace.get())
            .id(id)
            .schedule(schedule)
            .constraints(constraints)
            .timeBudgetSec(budget)
            .maxConcurrent(concurrent)
            .maxAttempts(attempts)
            .goals(goals)
            .agentPreferences(preferences)
            .focus(focus)
            .prAutomation(pr)
            .agents(agents)
            .stateDir(stateDir)
            .worktree(worktree)
            .qualityGate(gate)
            .limits(limits)
            .mcpServers(mcp)
            .permissions(permissions)
            .decision(decision)
            .store(store)
            .updatedAt(updatedAt)
            .notifications(notifications)
            .fleet(fleet)
            .review(review)
            .issues(issues)
            .conflicts(conflicts)
            .catalog(catalog)
            .pipelines(pipelines)
            .build());
  }

  private Optional<ConfigValue> missingThen(JsonObject o, String key) {
    o.missing(key);
    return Optional.empty();
  }

  private Schedule schedule(JsonObject s) {
    s.string("type")
        .filter(t -> !t.equals("cron"))
        .ifPresent(
            t ->
                problems.add(
                    s.pathOf("type"), "\"" + t + "\" is not supported: the only type is \"cron\""));
    String expression = s.requiredString("expression").orElse("* * * * *");
    if (s.has("expression") && !problems.hasAt(s.pathOf("expression"))) {
      checkCron(s.pathOf("expression"), expression);
    }
    Optional<LocalTime> start = time(s, "window_start");
    Optional<LocalTime> end = time(s, "window_end");
    if (s.has("window_start") != s.has("window_end")) {
      String missing = s.has("window_start") ? "window_end" : "window_start";
      String other = s.has("window_start") ? "window_start" : "window_end";
      problems.add(s.pathOf(missing), "is required when " + other + " is set");
    } else if (start.isPresent() && end.isPresent() && start.equals(end)) {
      problems.add(
          s.pathOf("window_end"),
          "must differ from window_start (\""
              + s.raw("window_start").map(JsonNode::asText).orElse("")
              + "\"); for a window of the whole day, leave both out");
    }
    long jitter = s.integer("jitter_ms", 0, 3_600_000, "between 0 and 3600000 (1 hour)").orElse(0L);
    MissedRunPolicy onMissed =
        s.string("on_missed")
            .flatMap(
                text -> {
                  Optional<MissedRunPolicy> p = MissedRunPolicy.parse(text);
                  if (p.isEmpty()) {
                    problems.add(
                        s.pathOf("on_missed"),
                        "\""
                            + text
                            + "\" is not a missed-run policy: use \"skip\" or"
                            + " \"run_once_at_next_opportunity\" (\"catch_up\" is accepted as an"
                            + " alias)");
                  }
                  return p;
                })
            .orElse(MissedRunPolicy.SKIP);
    Optional<ZoneId> zone =
        s.string("timezone")
            .flatMap(
                text -> {
                  try {
                    return Optional.of(ZoneId.of(text));
                  } catch (DateTimeException e) {
                    problems.add(
                        s.pathOf("timezone"),
                        "\""
                            + text
                            + "\" is not a time zone: use an IANA id such as \"Europe/Berlin\"");
                    return Optional.empty();
                  }
                });
    long alarm =
        s.integer("alarm_after_nights", 1, 365, "between 1 and 365")
            .orElse((long) Schedule.DEFAULT_ALARM_AFTER_NIGHTS);
    Schedule.Wake wake = s.object("wake").map(this::wake).orElse(Schedule.Wake.disabled());
    s.finish();
    Schedule result =
        Schedule.cron(expression)
            .withJitterMs(jitter)
            .withOnMissed(onMissed)
            .withAlarmAfterNights((int) alarm)
            .withWake(wake);
    if (start.isPresent() && end.isPresent()) {
      result = result.withWindow(start.get(), end.get());
    }
    return zone.map(result::withTimezone).orElse(result);
  }

  private Schedule.Wake wake(JsonObject w) {
    boolean enabled = w.bool("enabled", false);
    long lead =
        w.integer("lead_sec", 0, 3600, "between 0 and 3600 (1 hour)")
            .orElse(Schedule.Wake.DEFAULT_LEAD_SEC);
    w.finish();
    return new Schedule.Wake(enabled, lead);
  }

  private void checkCron(String path, String expression) {
    String[] fields = expression.trim().split("\\s+");
    if (fields.length != 5) {
      problems.add(
          path,
          "\""
              + expression
              + "\" has "
              + fields.length
              + (fields.length == 1 ? " field" : " fields")
              + ": a cron expression has 5 (minute hour day-of-month month day-of-week)");
      return;
    }
    try {
      CRON.parse(expression).validate();
    } catch (IllegalArgumentException e) {
      problems.add(
          path,
          "\"" + expression + "\" is not a valid cron expression: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String first = message.lines().findFirst().orElse(message).trim();
    return first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
  }

  private Optional<LocalTime> time(JsonObject s, String key) {
    return s.string(key)
        .flatMap(
            text -> {
              if (!TIME.matcher(text).matches()) {
                problems.add(s.pathOf(key), "\"" + text + "\" is not a time of day (HH:mm)");
                return Optional.empty();
              }
              return Optional.of(LocalTime.parse(text));
            });
  }

  private Constraints constraints(JsonObject c) {
    boolean plugged = c.bool("plugged_in", false);
    boolean wifi = c.bool("wifi_only", false);
    boolean wired = c.bool("allow_wired", false);
    Optional<Double> cpu = c.number("cpu_max_percentage", 1, 100, "between 1 and 100");
    boolean dnd = c.bool("respect_dnd", false);
    boolean active = c.bool("suspend_if_active", false);
    int idle =
        c.integer("idle_minutes", 1, 1440, "between 1 and 1440 (a day)")
            .map(Long::intValue)
            .orElse(Constraints.DEFAULT_IDLE_MINUTES);
    UnknownPolicy onUnknown =
        c.string("on_unknown")
            .flatMap(
                text -> {
                  Optional<UnknownPolicy> p = UnknownPolicy.parse(text);
                  if (p.isEmpty()) {
                    problems.add(
                        c.pathOf("on_unknown"),
                        "\""
                            + text
                            + "\" is not a policy for unknown results: use \"fail\" or \"pass\"");
                  }
                  return p;
                })
            .orElse(UnknownPolicy.FAIL);
    Duration timeout =
        c.integer("check_timeout_ms", 100, 60_000, "between 100 and 60000 (a minute)")
            .map(Duration::ofMillis)
            .orElse(Constraints.DEFAULT_CHECK_TIMEOUT);
    Duration recheck =
        c.integer("recheck_interval_sec", 10, 3600, "between 10 and 3600 (an hour)")
            .map(Duration::ofSeconds)
            .orElse(Constraints.DEFAULT_RECHECK_INTERVAL);
    Map<String, Object> checkers = new LinkedHashMap<>();
    c.object("checkers")
        .ifPresent(
            k -> {
              for (String name : k.keys()) {
                JsonNode v = k.raw(name).orElse(null);
                if (Constraints.BUILT_IN.contains(name)) {
                  problems.add(
                      k.pathOf(name),
                      "\"" + name + "\" is built in: set it directly under constraints");
                } else if (!AGENT_ID.matcher(name).matches()) {
                  problems.add(
                      k.pathOf(name),
                      "\""
                          + name
                          + "\" is not a valid checker name: use lower-case letters, digits, '_'"
                          + " or '-'");
                } else if (v != null) {
                  checkers.put(name, mapper.convertValue(v, Object.class));
                }
              }
              k.finish();
            });
    c.finish();
    if (c.has("allow_wired") && wired && !wifi) {
      problems.add(c.pathOf("allow_wired"), "only applies with wifi_only: true");
    }
    return new Constraints(
        plugged, wifi, wired, cpu, dnd, active, idle, onUnknown, timeout, recheck, checkers);
  }

  private Map<String, AgentCommand> agents(JsonObject a) {
    Map<String, AgentCommand> out = new LinkedHashMap<>();
    for (String agentId : a.keys()) {
      String p = a.pathOf(agentId);
      if (!AGENT_ID.matcher(agentId).matches()) {
        a.raw(agentId);
        problems.add(
            p,
            "\""
                + agentId
                + "\" is not a valid agent id: use lower-case letters, digits, '_' or '-'");
        continue;
      }
      Optional<JsonObject> entry = a.object(agentId);
      if (entry.isEmpty()) {
        continue;
      }
      JsonObject e = entry.get();
      Optional<ConfigValue> command =
          e.has("command") ? path(e, "command", false) : missingThen(e, "command");
      List<String> args = e.strings("args");
      Map<String, String> env = stringMap(e, "env");
      Optional<String> mode = e.string("mode");
      e.finish();
      command.ifPresent(c -> out.put(agentId, new AgentCommand(c, args, env, mode)));
    }
    return out;
  }

  private Map<String, String> stringMap(JsonObject parent, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    parent
        .object(key)
        .ifPresent(
            m -> {
              for (String name : m.keys()) {
                m.string(name).ifPresent(v -> out.put(name, v));
              }
            });
    return out;
  }

  private AgentPreferences preferences(JsonObject p, Set<String> configured) {
    Set<String> known = new TreeSet<>(BuiltInAgents.IDS);
    known.addAll(configured);
    List<String> prefer = new ArrayList<>();
    Optional<JsonNode> rawPrefer = p.raw("prefer");
    if (rawPrefer.isPresent() && rawPrefer.get().isTextual()) {
      prefer.add(rawPrefer.get().asText());
      checkAgent(p.pathOf("prefer"), rawPrefer.get().asText(), known);
    } else if (rawPrefer.isPresent() && rawPrefer.get().isArray()) {
      List<String> list = p.strings("prefer");
      for (int i = 0; i < list.size(); i++) {
        checkAgent(p.pathOf("prefer") + "/" + i, list.get(i), known);
      }
      prefer.addAll(list);
    } else if (rawPrefer.isPresent()) {
      problems.add(
          p.pathOf("prefer"),
          "expected an agent id or a list of them but found "
              + JsonObject.describe(rawPrefer.get()));
    }
    List<String> allow = p.strings("allow");
    for (int i = 0; i < allow.size(); i++) {
      checkAgent(p.pathOf("allow") + "/" + i, allow.get(i), known);
    }
    p.finish();
    if (!allow.isEmpty()) {
      boolean single = rawPrefer.isPresent() && rawPrefer.get().isTextual();
      for (int i = 0; i < prefer.size(); i++) {
        if (known.contains(prefer.get(i)) && !allow.contains(prefer.get(i))) {
          problems.add(
              p.pathOf("prefer") + (single ? "" : "/" + i),
              "\"" + prefer.get(i) + "\" is not in the allow list " + allow);
        }
      }
    }
    return new AgentPreferences(prefer, allow);
  }

  private void checkAgent(String path, String agentId, Set<String> known) {
    if (!known.contains(agentId)) {
      problems.add(
          path,
          "unknown agent \""
              + agentId
              + "\""
              + Suggestions.closest(agentId, known)
                  .map(s -> "; did you mean \"" + s + "\"?")
                  .orElse("")
              + " (known: "
              + String.join(", ", known)
              + "; add others under \"agents\")");
    }
  }

  private Focus focus(JsonObject f) {
    List<String> include = globs(f, "include");
    List<String> exclude = globs(f, "exclude");
    f.finish();
    return new Focus(include, exclude);
  }

  private List<String> globs(JsonObject f, String key) {
    List<String> globs = f.strings(key);
    for (int i = 0; i < globs.size(); i++) {
      String g = globs.get(i);
      if (g.startsWith("/") || g.contains("..") || g.startsWith("~")) {
        problems.add(
            f.pathOf(key) + "/" + i,
            "\""
                + g
                + "\" contains path traversal or an absolute path: globs are relative to the workspace");
      } else if (g.isBlank()) {
        problems.add(f.pathOf(key) + "/" + i, "a glob must not be empty");
      }
    }
    return globs;
  }

  private PrAutomation prAutomation(JsonObject p) {
    boolean enabled = p.bool("enabled", false);
    boolean draft = p.bool("draft", true);
    String prefix = p.string("branch_prefix").orElse(PrAutomation.DEFAULT_BRANCH_PREFIX);
    if (p.has("branch_prefix") && !problems.hasAt(p.pathOf("branch_prefix"))) {
      branchPrefixProblem(prefix)
          .ifPresent(
              why ->
                  problems.add(
                      p.pathOf("branch_prefix"),
                      "\"" + prefix + "\" is not a valid git branch prefix: " + why));
    }
    Optional<String> base = p.string("base_branch");
    base.filter(b -> branchPrefixProblem(b).isPresent() || b.endsWith("/"))
        .ifPresent(
            b -> problems.add(p.pathOf("base_branch"), "\"" + b + "\" is not a valid branch name"));
    boolean push = p.bool("push", false);
    String remote = p.string("remote").orElse("origin");
    if (remote.isBlank() || remote.contains(" ")) {
      problems.add(p.pathOf("remote"), "\"" + remote + "\" is not a git remote name");
    }
    PrAutomation.FollowUps followUps = new FollowUpsReader().read(p);
    p.finish();
    return new PrAutomation(enabled, draft, prefix, base, push, remote, followUps);
  }

  /** Why a branch prefix is not usable by git, if it is not (git check-ref-format rules). */
  static Optional<String> branchPrefixProblem(String prefix) {
    if (!BRANCH_PREFIX.matcher(prefix).matches()) {
      return Optional.of(
          "use letters, digits, '/', '_', '-' or '.', starting with a letter or digit");
    }
    if (prefix.contains("..") || prefix.contains("//") || prefix.contains("/.")) {
      return Optional.of("it must not contain \"..\", \"//\" or a component starting with \".\"");
    }
    if (prefix.contains(".lock/") || prefix.endsWith(".lock") || prefix.endsWith(".")) {
      return Optional.of("a component must not end with \".lock\" or \".\"");
    }
    return Optional.empty();
  }

  private WorktreeSettings worktree(JsonObject w) {
    Optional<String> setup = w.string("setup_command").filter(s -> !s.isBlank());
    List<String> copy = w.strings("copy_files");
    for (int i = 0; i < copy.size(); i++) {
      String f = copy.get(i);
      if (f.startsWith("/") || f.contains("..") || f.isBlank()) {
        problems.add(
            w.pathOf("copy_files") + "/" + i,
            "\"" + f + "\" must be a path relative to the workspace, without \"..\"");
      }
    }
    long disk =
        w.integer("max_disk_mb", 100, 1_000_000, "between 100 and 1000000")
            .orElse(WorktreeSettings.DEFAULT_MAX_DISK_MB);
    boolean keepFailed = w.bool("keep_failed", false);
    w.finish();
    return new WorktreeSettings(setup, copy, disk, keepFailed);
  }

  private QualityGate qualityGate(JsonObject g) {
    Optional<String> command = g.string("verify_command").filter(s -> !s.isBlank());
    int timeout =
        g.integer("timeout_sec", 10, 7200, "between 10 and 7200 (2 hours)")
            .map(Long::intValue)
            .orElse(600);
    boolean retry = g.bool("retry_with_agent", true);
    int retries = g.integer("max_retries", 0, 5, "between 0 and 5").map(Long::intValue).orElse(1);
    g.finish();
    return new QualityGate(command, timeout, retry, retries);
  }

  private Limits limits(JsonObject l) {
    SpendingLimit night =
        l.object("per_night").map(this::spending).orElse(SpendingLimit.unbounded());
    SpendingLimit task = l.object("per_task").map(this::spending).orElse(SpendingLimit.unbounded());
    int stuck =
        l.integer("stuck_after_sec", 30, 7200, "between 30 and 7200 (2 hours)")
            .map(Long::intValue)
            .orElse(Limits.DEFAULT_STUCK_AFTER_SEC);
    int grace =
        l.integer("cancel_grace_sec", 1, 600, "between 1 and 600 (10 minutes)")
            .map(Long::intValue)
            .orElse(Limits.DEFAULT_CANCEL_GRACE_SEC);
    int startFailures =
        l.integer("start_failures_before_park", 1, 100, "between 1 and 100")
            .map(Long::intValue)
            .orElse(Limits.DEFAULT_START_FAILURES_BEFORE_PARK);
    double leave = l.raw("leave_for_morning").map(v -> share(l, v)).orElse(0.0);
    l.finish();
    return new Limits(night, task, stuck, grace, startFailures, leave);
  }

  /** {@code leave_for_morning}: {@code "20%"}, or a fraction such as 0.2; at most 90%. */
  private double share(JsonObject l, JsonNode v) {
    String text = v.asText().strip();
    try {
      double share =
          text.endsWith("%")
              ? Double.parseDouble(text.substring(0, text.length() - 1).strip()) / 100
              : v.isNumber() ? v.asDouble() : Double.NaN;
      if (share >= 0 && share <= 0.9) {
        return share;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    problems.add(
        l.pathOf("leave_for_morning"),
        "\""
            + text
            + "\" is not a share to leave: use a percentage from \"0%\" to \"90%\", such as"
            + " \"20%\"");
    return 0.0;
  }

  private SpendingLimit spending(JsonObject s) {
    Optional<Long> tokens = s.integer("tokens", 1, Long.MAX_VALUE, "a positive integer");
    Optional<Double> cost = s.number("cost_usd", 0.01, 1_000_000, "between 0.01 and 1000000");
    Optional<Long> seconds = s.integer("agent_seconds", 1, Long.MAX_VALUE, "a positive integer");
    s.finish();
    return new SpendingLimit(tokens, cost, seconds);
  }

  private List<McpServer> mcpServers(JsonObject o) {
    Set<String> names = new LinkedHashSet<>();
    return o.list(
        "mcp_servers",
        (node, p) -> {
          if (!node.isObject()) {
            problems.add(p, "expected an object but found " + JsonObject.describe(node));
            return null;
          }
          JsonObject s = new JsonObject(node, p, problems);
          String type = s.string("type").orElse("stdio");
          String name = s.requiredString("name").orElse("");
          if (!name.isEmpty() && !names.add(name)) {
            problems.add(s.pathOf("name"), "\"" + name + "\" is used by another MCP server");
          }
          McpServer server =
              switch (type) {
                case "stdio" -> {
                  Optional<ConfigValue> command =
                      s.has("command") ? path(s, "command", false) : missingThen(s, "command");
                  List<String> args = s.strings("args");
                  Map<String, String> env = stringMap(s, "env");
                  yield command
                      .map(c -> (McpServer) new McpServer.Stdio(name, c.value(), args, env))
                      .orElse(null);
                }
                case "http", "sse" -> {
                  String url = s.requiredString("url").orElse("");
                  if (!url.isEmpty() && !url.startsWith("http://") && !url.startsWith("https://")) {
                    problems.add(s.pathOf("url"), "\"" + url + "\" is not an http(s) URL");
                  }
                  Map<String, String> headers = stringMap(s, "headers");
                  yield type.equals("http")
                      ? new McpServer.Http(name, url, headers)
                      : new McpServer.Sse(name, url, headers);
                }
                default -> {
                  // Read what any transport may hold, so the one real mistake is all that is
                  // reported.
                  List.of("url", "headers", "command", "args", "env").forEach(s::raw);
                  problems.add(
                      s.pathOf("type"),
                      "\""
                          + type
                          + "\" is not an MCP transport: use \"stdio\", \"http\" or \"sse\"");
                  yield null;
                }
              };
          s.finish();
          return server;
        });
  }

  private Permissions permissions(JsonObject p) {
    PermissionMode mode =
        p.string("mode")
            .flatMap(
                text -> {
                  Optional<PermissionMode> m = PermissionMode.parse(text);
                  if (m.isEmpty()) {
                    problems.add(
                        p.pathOf("mode"),
                        "\""
                            + text
                            + "\" is not a permission mode: use \"unattended\", \"read_only\" or"
                            + " \"allow_all\"");
                  }
                  return m;
                })
            .orElse(PermissionMode.UNATTENDED);
    boolean fetch = p.bool("allow_fetch", false);
    SandboxMode sandbox =
        p.string("sandbox")
            .flatMap(
                text -> {
                  Optional<SandboxMode> m = SandboxMode.parse(text);
                  if (m.isEmpty()) {
                    problems.add(
                        p.pathOf("sandbox"),
                        "\""
                            + text
                            + "\" is not a sandbox mode: use \"required\", \"best_effort\" or"
                            + " \"off\"");
                  }
                  return m;
                })
            .orElse(SandboxMode.REQUIRED);
    boolean network = p.bool("allow_network", false);
    p.finish();
    return new Permissions(mode, fetch, sandbox, network);
  }

  private DecisionSettings decision(JsonObject d, Set<String> configuredAgents) {
    DecisionSettings defaults = DecisionSettings.defaults();
    String engine = d.string("engine").orElse(defaults.engine());
    knownName(d.pathOf("engine"), "decision engine", engine, known.decisionEngines());
    int lookback =
        d.integer("lookback_days", 1, 365, "between 1 and 365")
            .map(Long::intValue)
            .orElse(defaults.lookbackDays());
    int threshold =
        d.integer("refactor_threshold", 1, 1000, "between 1 and 1000")
            .map(Long::intValue)
            .orElse(defaults.refactorThreshold());
    List<String> sources =
        d.has("history_sources") ? d.strings("history_sources") : defaults.historySources();
    for (int i = 0; i < sources.size(); i++) {
      knownName(
          d.pathOf("history_sources") + "/" + i,
          "history source",
          sources.get(i),
          known.historySources());
    }
    List<String> candidateSources = d.has("sources") ? d.strings("sources") : List.of();
    for (int i = 0; i < candidateSources.size(); i++) {
      knownName(
          d.pathOf("sources") + "/" + i,
          "candidate source",
          candidateSources.get(i),
          known.candidateSources());
    }
    Optional<String> coverage = d.string("coverage_command");
    if (coverage.isPresent() && coverage.get().isBlank()) {
      problems.add(d.pathOf("coverage_command"), "must not be empty");
      coverage = Optional.empty();
    }
    List<CheckerCommand> checkers = d.list("checkers", this::checker);
    int recent =
        d.integer("recent_commits", 1, 100_000, "between 1 and 100000")
            .map(Long::intValue)
            .orElse(DecisionSettings.DEFAULT_RECENT_COMMITS);
    AgentPlanning planning = planning(d, engine, configuredAgents);
    d.finish();
    return new DecisionSettings(
        engine,
        lookback,
        threshold,
        sources,
        candidateSources,
        coverage,
        checkers,
        recent,
        planning);
  }

  private ReviewSettings review(JsonObject r, Set<String> configuredAgents) {
    boolean enabled = r.bool("enabled", false);
    Optional<String> agent = r.string("agent");
    Set<String> known = new TreeSet<>(BuiltInAgents.IDS);
    known.addAll(configuredAgents);
    agent.ifPresent(a -> checkAgent(r.pathOf("agent"), a, known));
    int partial =
        r.integer(
                "partial_turns",
                0,
                ReviewSettings.MAX_PARTIAL_TURNS,
                "between 0 and " + ReviewSettings.MAX_PARTIAL_TURNS)
            .map(Long::intValue)
            .orElse(ReviewSettings.DEFAULT_PARTIAL_TURNS);
    int time =
        r.integer("time_sec", 10, 3600, "between 10 and 3600 (an hour)")
            .map(Long::intValue)
            .orElse(ReviewSettings.DEFAULT_TIME_SEC);
    r.finish();
    return new ReviewSettings(enabled, agent, partial, time);
  }

  /** {@code decision.agent}, {@code decision.planning_budget} and {@code max_planned_tasks}. */
  private AgentPlanning planning(JsonObject d, String engine, Set<String> configuredAgents) {
    AgentPlanning defaults = AgentPlanning.defaults();
    Optional<String> agent = d.string("agent");
    Set<String> known = new TreeSet<>(BuiltInAgents.IDS);
    known.addAll(configuredAgents);
    agent.ifPresent(a -> checkAgent(d.pathOf("agent"), a, known));
    if (agent.isEmpty() && engine.equals(DecisionSettings.AGENT_ENGINE)) {
      problems.add(
          d.pathOf("agent"),
          "the agent engine needs an agent to plan with: name one of " + String.join(", ", known));
    }
    SpendingLimit budget =
        d.object("planning_budget")
            .map(this::spending)
            .map(
                b ->
                    b.agentSeconds().isPresent()
                        ? b
                        : new SpendingLimit(
                            b.tokens(), b.costUsd(), defaults.budget().agentSeconds()))
            .orElse(defaults.budget());
    int maxTasks =
        d.integer(
                "max_planned_tasks",
                1,
                AgentPlanning.MAX_TASKS,
                "between 1 and " + AgentPlanning.MAX_TASKS)
            .map(Long::intValue)
            .orElse(defaults.maxTasks());
    return new AgentPlanning(agent, budget, maxTasks);
  }

  private CheckerCommand checker(com.fasterxml.jackson.databind.JsonNode node, String path) {
    if (!node.isObject()) {
      problems.add(path, "expected an object but found " + JsonObject.describe(node));
      return null;
    }
    JsonObject c = new JsonObject(node, path, problems);
    Optional<String> name = nonBlank(c, "name");
    Optional<String> command = nonBlank(c, "command");
    c.finish();
    if (name.isEmpty() || command.isEmpty()) {
      return null;
    }
    return new CheckerCommand(name.get(), command.get());
  }

  private Optional<String> nonBlank(JsonObject o, String key) {
    Optional<String> v = o.requiredString(key);
    if (v.isPresent() && v.get().isBlank()) {
      problems.add(o.pathOf(key), "must not be empty");
      return Optional.empty();
    }
    return v;
  }

  private Optional<StoreSettings> store(JsonObject s) {
    Optional<String> kind = s.requiredString("kind");
    kind.filter(k -> !STORE_KINDS.contains(k))
        .ifPresent(
            k ->
                problems.add(
                    s.pathOf("kind"),
                    "\""
                        + k
                        + "\" is not a store"
                        + Suggestions.closest(k, STORE_KINDS)
                            .map(x -> "; did you mean \"" + x + "\"?")
                            .orElse("")
                        + " (known: "
                        + String.join(", ", STORE_KINDS)
                        + ")"));
    Optional<String> url = s.string("url");
    Optional<String> user = s.string("user");
    Optional<String> passwordEnv = s.string("password_env");
    if (s.has("password")) {
      problems.add(
          s.pathOf("password"),
          "a password never goes in the config file: put it in an environment variable and name"
              + " that variable in password_env");
    }
    boolean postgres = kind.filter(StoreSettings.POSTGRES::equals).isPresent();
    boolean sqlite = kind.filter(StoreSettings.SQLITE::equals).isPresent();
    if (postgres && !s.has("url")) {
      s.missing("url");
    }
    url.filter(u -> postgres && !u.startsWith(POSTGRES_URL))
        .ifPresent(
            u ->
                problems.add(
                    s.pathOf("url"),
                    "\""
                        + u
                        + "\" is not a PostgreSQL JDBC URL: write it as"
                        + " jdbc:postgresql://<host>:<port>/<database>"));
    user.filter(String::isBlank)
        .ifPresent(u -> problems.add(s.pathOf("user"), "must not be empty"));
    passwordEnv
        .filter(v -> !ENV_NAME.matcher(v).matches())
        .ifPresent(
            v ->
                problems.add(
                    s.pathOf("password_env"),
                    "\""
                        + v
                        + "\" is not an environment variable name: use letters, digits and '_',"
                        + " not starting with a digit (the variable holds the password; the"
                        + " password itself never goes in the file)"));
    StoreSettings.Timeouts timeouts = storeTimeouts(s);
    if (sqlite) {
      for (String key : STORE_POSTGRES_ONLY) {
        if (s.has(key)) {
          problems.add(
              s.pathOf(key),
              "only a \"postgres\" store has a "
                  + key
                  + ": the SQLite store is the file overnight.db in the state folder");
        }
      }
    }
    s.finish();
    if (kind.isEmpty() || !STORE_KINDS.contains(kind.get())) {
      return Optional.empty();
    }
    return Optional.of(new StoreSettings(kind.get(), url, user, passwordEnv, timeouts));
  }

  /**
   * The database store's timeouts, in milliseconds: each within a range that keeps a store usable,
   * and the socket timeout longer than the statement timeout (given or default), so that a slow
   * statement is cancelled by the server before the connection is given up as lost.
   */
  private StoreSettings.Timeouts storeTimeouts(JsonObject s) {
    Optional<Duration> connect =
        s.integer("connect_timeout_ms", 100, 600_000, "between 100 and 600000 (10 minutes)")
            .map(Duration::ofMillis);
    Optional<Duration> statement =
        s.integer("statement_timeout_ms", 100, 3_600_000, "between 100 and 3600000 (an hour)")
            .map(Duration::ofMillis);
    Optional<Duration> socket =
        s.integer("socket_timeout_ms", 1_000, 3_660_000, "between 1000 and 3660000 (61 minutes)")
            .map(Duration::ofMillis);
    Optional<Duration> lock =
        s.integer("lock_timeout_ms", 10, 600_000, "between 10 and 600000 (10 minutes)")
            .map(Duration::ofMillis);
    Duration effectiveStatement = statement.orElse(StoreSettings.Timeouts.DEFAULT_STATEMENT);
    socket
        .filter(d -> d.compareTo(effectiveStatement) <= 0)
        .ifPresent(
            d ->
                problems.add(
                    s.pathOf("socket_timeout_ms"),
                    d.toMillis()
                        + " must be longer than the statement timeout ("
                        + effectiveStatement.toMillis()
                        + (statement.isPresent() ? "" : ", the default")
                        + "), so that a slow statement is cancelled by the server before the"
                        + " connection is given up as lost"));
    return new StoreSettings.Timeouts(connect, statement, socket, lock);
  }

  private FleetSettings fleet(JsonObject f) {
    Optional<String> name = f.string("name");
    name.filter(String::isBlank)
        .ifPresent(n -> problems.add(f.pathOf("name"), "must not be empty"));
    List<String> labels = f.strings("labels");
    for (int i = 0; i < labels.size(); i++) {
      String label = labels.get(i);
      Optional<String> problem = Labels.problem(label);
      int index = i;
      problem.ifPresent(p -> problems.add(f.pathOf("labels") + "/" + index, p));
      if (problem.isEmpty() && label.startsWith(Labels.WORKER)) {
        problems.add(
            f.pathOf("labels") + "/" + i,
            "a \"worker:\" label is the worker's own id, added by Overnight: choose another label");
      }
    }
    f.finish();
    return new FleetSettings(name.filter(n -> !n.isBlank()), labels);
  }

  /** A name a plugin must serve: unknown ones get a "did you mean" and the list of known ones. */
  private void knownName(String path, String kind, String name, Set<String> names) {
    if (names.contains(name)) {
      return;
    }
    problems.add(
        path,
        "unknown "
            + kind
            + " \""
            + name
            + "\""
            + Suggestions.closest(name, names).map(s -> "; did you mean \"" + s + "\"?").orElse("")
            + " (known: "
            + (names.isEmpty() ? "none on the class path" : String.join(", ", names))
            + ")");
  }

  private Optional<ConfigValue> path(JsonObject o, String key) {
    return path(o, key, true);
  }

  /** Reads a string with variables; as a path it is made absolute against the config's folder. */
  private Optional<ConfigValue> path(JsonObject o, String key, boolean resolveAgainstBase) {
    return o.string(key)
        .flatMap(
            raw -> {
              if (raw.isBlank()) {
                problems.add(o.pathOf(key), "must not be empty");
                return Optional.empty();
              }
              Variables.Expansion e = variables.expand(raw);
              if (e.error().isPresent()) {
                problems.add(o.pathOf(key), e.error().get());
                return Optional.empty();
              }
              String value = e.value().orElseThrow();
              boolean looksLikePath = resolveAgainstBase || value.contains("/");
              if (!looksLikePath) {
                return Optional.of(new ConfigValue(raw, value));
              }
              try {
                Path p = baseDir.resolve(value).toAbsolutePath().normalize();
                return Optional.of(new ConfigValue(raw, p.toString()));
              } catch (InvalidPathException ex) {
                problems.add(
                    o.pathOf(key), "\"" + value + "\" is not a valid path: " + ex.getReason());
                return Optional.empty();
              }
            });
  }

  private void checkWorkspace(ConfigValue workspace, boolean needsGit) {
    Path p = workspace.path();
    if (!Files.exists(p)) {
      problems.add("/workspace_root", "\"" + workspace.value() + "\" does not exist");
    } else if (!Files.isDirectory(p)) {
      problems.add("/workspace_root", "\"" + workspace.value() + "\" is not a directory");
    } else if (requireRepository) {
      RepositoryCheck.problem(p, workspace.value())
          .ifPresent(problem -> problems.add("/workspace_root", problem));
    } else if (needsGit && !isGitRepository(p)) {
      problems.add(
          "/workspace_root",
          "\""
              + workspace.value()
              + "\" is not a git repository (pr_automation.enabled needs one: run git init)");
    }
  }

  private static boolean isGitRepository(Path dir) {
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.exists(d.resolve(".git"))) {
        return true;
      }
    }
    return false;
  }

  private void checkStateDir(ConfigValue stateDir) {
    Path p = stateDir.path();
    if (Files.exists(p) && !Files.isDirectory(p)) {
      problems.add("/state_dir", "\"" + stateDir.value() + "\" exists and is not a directory");
    }
  }
}
