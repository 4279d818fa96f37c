package dev.overnight.core.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.agent.McpServer;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.config.CatalogSettings;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.FleetSettings;
import dev.overnight.api.config.Focus;
import dev.overnight.api.config.IssueSettings;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Permissions;
import dev.overnight.api.config.PipelineSettings;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.config.ReviewSettings;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.StoreSettings;
import dev.overnight.api.config.WorktreeSettings;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
  private static final Pattern BRANCH_PREFIX = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]*$");

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
    Schedule schedule = new ScheduleReader(problems).read(o);
    Constraints constraints = new ConstraintsReader(problems, mapper).read(o);
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
    Limits limits = new LimitsReader(problems).read(o);
    List<McpServer> mcp = mcpServers(o);
    Permissions permissions = new PermissionsReader(problems).read(o);
    DecisionSettings decision = new DecisionReader(problems, known, agents.keySet()).read(o);
    Optional<StoreSettings> store = new StoreReader(problems).read(o);
    ReviewSettings review = new ReviewReader(problems, agents.keySet()).read(o);
    Optional<Long> updatedAt = o.integer("updated_at", 0, Long.MAX_VALUE, "a non-negative integer");
    List<NotifierSettings> notifications = new NotificationsReader(problems, mapper).read(o);
    FleetSettings fleet = new FleetReader(problems).read(o);
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

  private Map<String, AgentCommand> agents(JsonObject a) {
    Map<String, AgentCommand> out = new LinkedHashMap<>();
    for (String agentId : a.keys()) {
      String p = a.pathOf(agentId);
      if (!AgentIds.PATTERN.matcher(agentId).matches()) {
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
    Set<String> known = AgentIds.known(configured);
    List<String> prefer = new ArrayList<>();
    Optional<JsonNode> rawPrefer = p.raw("prefer");
    if (rawPrefer.isPresent() && rawPrefer.get().isTextual()) {
      prefer.add(rawPrefer.get().asText());
      AgentIds.check(problems, p.pathOf("prefer"), rawPrefer.get().asText(), known);
    } else if (rawPrefer.isPresent() && rawPrefer.get().isArray()) {
      List<String> list = p.strings("prefer");
      for (int i = 0; i < list.size(); i++) {
        AgentIds.check(problems, p.pathOf("prefer") + "/" + i, list.get(i), known);
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
      AgentIds.check(problems, p.pathOf("allow") + "/" + i, allow.get(i), known);
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
