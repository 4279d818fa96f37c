package dev.overnight.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.OrchestrationException;
import dev.overnight.api.agent.McpServer;
import dev.overnight.api.config.AgentCommand;
import dev.overnight.api.config.AgentPlanning;
import dev.overnight.api.config.CatalogSettings;
import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.FleetSettings;
import dev.overnight.api.config.IssueSettings;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.ReviewSettings;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.notify.NotificationKind;
import dev.overnight.core.json.OvernightJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link OrchestrationConfig} as JSON that {@link ConfigLoader} loads back equal.
 *
 * <p>Keys come in a fixed order (the order of the schema), every setting is written out so the file
 * documents its defaults, and path fields keep the user's variables unexpanded. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ConfigWriter {
  private static final ObjectMapper MAPPER = OvernightJson.mapper();
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private ConfigWriter() {}

  /** The config as pretty-printed JSON, ending with a newline. */
  public static String toJson(OrchestrationConfig c) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", c.id());
    root.put("workspace_root", c.workspaceRoot().raw());
    root.set("schedule", schedule(c.schedule()));
    root.set("constraints", constraints(c.constraints()));
    root.put("time_budget_sec", c.timeBudgetSec());
    root.put("max_concurrent", c.maxConcurrent());
    root.put("max_attempts", c.maxAttempts());
    strings(root.putArray("goals"), c.goals());
    ObjectNode prefs = root.putObject("agent_preferences");
    strings(prefs.putArray("prefer"), c.agentPreferences().prefer());
    strings(prefs.putArray("allow"), c.agentPreferences().allow());
    ObjectNode focus = root.putObject("focus");
    strings(focus.putArray("include"), c.focus().include());
    strings(focus.putArray("exclude"), c.focus().exclude());
    ObjectNode pr = root.putObject("pr_automation");
    pr.put("enabled", c.prAutomation().enabled());
    pr.put("draft", c.prAutomation().draft());
    pr.put("branch_prefix", c.prAutomation().branchPrefix());
    c.prAutomation().baseBranch().ifPresent(b -> pr.put("base_branch", b));
    pr.put("push", c.prAutomation().push());
    pr.put("remote", c.prAutomation().remote());
    if (!c.prAutomation().followUps().equals(PrAutomation.FollowUps.defaults())) {
      ObjectNode followUps = pr.putObject("follow_ups");
      followUps.put("per_pr", c.prAutomation().followUps().perPr());
      followUps.put("per_night", c.prAutomation().followUps().perNight());
      followUps.put("in_day", c.prAutomation().followUps().inDay());
      followUps.put("day_interval_sec", c.prAutomation().followUps().dayInterval().toSeconds());
    }
    ObjectNode agents = root.putObject("agents");
    c.agents().forEach((id, a) -> agents.set(id, agent(a)));
    c.stateDir().ifPresent(s -> root.put("state_dir", s.raw()));
    ObjectNode wt = root.putObject("worktree");
    c.worktree().setupCommand().ifPresent(s -> wt.put("setup_command", s));
    strings(wt.putArray("copy_files"), c.worktree().copyFiles());
    wt.put("max_disk_mb", c.worktree().maxDiskMb());
    wt.put("keep_failed", c.worktree().keepFailed());
    ObjectNode gate = root.putObject("quality_gate");
    c.qualityGate().verifyCommand().ifPresent(s -> gate.put("verify_command", s));
    gate.put("timeout_sec", c.qualityGate().timeoutSec());
    gate.put("retry_with_agent", c.qualityGate().retryWithAgent());
    gate.put("max_retries", c.qualityGate().maxRetries());
    ObjectNode limits = root.putObject("limits");
    limits.set("per_night", spending(c.limits().perNight()));
    limits.set("per_task", spending(c.limits().perTask()));
    limits.put("stuck_after_sec", c.limits().stuckAfterSec());
    limits.put("cancel_grace_sec", c.limits().cancelGraceSec());
    limits.put("start_failures_before_park", c.limits().startFailuresBeforePark());
    if (c.limits().leaveForMorning() > 0) {
      limits.put(
          "leave_for_morning",
          new java.math.BigDecimal(c.limits().leaveForMorning() * 100)
                  .setScale(2, java.math.RoundingMode.HALF_UP)
                  .stripTrailingZeros()
                  .toPlainString()
              + "%");
    }
    ArrayNode mcp = root.putArray("mcp_servers");
    c.mcpServers().forEach(s -> mcp.add(mcpServer(s)));
    ObjectNode perms = root.putObject("permissions");
    perms.put("mode", c.permissions().mode().jsonName());
    perms.put("allow_fetch", c.permissions().allowFetch());
    perms.put("sandbox", c.permissions().sandbox().jsonName());
    perms.put("allow_network", c.permissions().allowNetwork());
    ObjectNode decision = root.putObject("decision");
    if (!c.decision().engine().equals(DecisionSettings.DEFAULT_ENGINE)) {
      decision.put("engine", c.decision().engine());
    }
    decision.put("lookback_days", c.decision().lookbackDays());
    decision.put("refactor_threshold", c.decision().refactorThreshold());
    strings(decision.putArray("history_sources"), c.decision().historySources());
    if (!c.decision().sources().isEmpty()) {
      strings(decision.putArray("sources"), c.decision().sources());
    }
    c.decision().coverageCommand().ifPresent(cmd -> decision.put("coverage_command", cmd));
    if (!c.decision().checkers().isEmpty()) {
      ArrayNode checkers = decision.putArray("checkers");
      c.decision()
          .checkers()
          .forEach(k -> checkers.addObject().put("name", k.name()).put("command", k.command()));
    }
    if (c.decision().recentCommits() != DecisionSettings.DEFAULT_RECENT_COMMITS) {
      decision.put("recent_commits", c.decision().recentCommits());
    }
    AgentPlanning planning = c.decision().planning();
    planning.agent().ifPresent(a -> decision.put("agent", a));
    if (!planning.budget().equals(AgentPlanning.defaults().budget())) {
      decision.set("planning_budget", spending(planning.budget()));
    }
    if (planning.maxTasks() != AgentPlanning.DEFAULT_MAX_TASKS) {
      decision.put("max_planned_tasks", planning.maxTasks());
    }
    c.store()
        .ifPresent(
            st -> {
              ObjectNode store = root.putObject("store");
              store.put("kind", st.kind());
              st.url().ifPresent(u -> store.put("url", u));
              st.user().ifPresent(u -> store.put("user", u));
              st.passwordEnv().ifPresent(v -> store.put("password_env", v));
              st.timeouts().connect().ifPresent(d -> store.put("connect_timeout_ms", d.toMillis()));
              st.timeouts()
                  .statement()
                  .ifPresent(d -> store.put("statement_timeout_ms", d.toMillis()));
              st.timeouts().socket().ifPresent(d -> store.put("socket_timeout_ms", d.toMillis()));
              st.timeouts().lock().ifPresent(d -> store.put("lock_timeout_ms", d.toMillis()));
            });
    if (!c.notifications().isEmpty()) {
      ArrayNode notifications = root.putArray("notifications");
      for (NotifierSettings n : c.notifications()) {
        ObjectNode entry = notifications.addObject();
        entry.put("type", n.type());
        if (!n.on().equals(EnumSet.allOf(NotificationKind.class))) {
          ArrayNode on = entry.putArray("on");
          n.on().forEach(k -> on.add(k.key()));
        }
        n.options().forEach((k, v) -> entry.set(k, MAPPER.valueToTree(v)));
      }
    }
    if (!c.review().equals(ReviewSettings.disabled())) {
      ObjectNode review = root.putObject("review");
      review.put("enabled", c.review().enabled());
      c.review().agent().ifPresent(a -> review.put("agent", a));
      review.put("partial_turns", c.review().partialTurns());
      review.put("time_sec", c.review().timeSec());
    }
    if (!c.catalog().equals(CatalogSettings.none())) {
      ObjectNode catalog = root.putObject("catalog");
      ArrayNode relays = catalog.putArray("relays");
      c.catalog().relays().forEach(r -> relays.add(r.toString()));
      catalog.put("kind", c.catalog().kind());
    }
    c.updatedAt().ifPresent(u -> root.put("updated_at", u));
    if (!c.fleet().equals(FleetSettings.none())) {
      ObjectNode fleet = root.putObject("fleet");
      c.fleet().name().ifPresent(n -> fleet.put("name", n));
      if (!c.fleet().labels().isEmpty()) {
        c.fleet().labels().forEach(fleet.putArray("labels")::add);
      }
    }
    if (!c.issues().equals(IssueSettings.disabled())) {
      ObjectNode issues = root.putObject("issues");
      issues.put("enabled", c.issues().enabled());
      issues.put("label", c.issues().label());
      if (!c.issues().priorityLabels().isEmpty()) {
        ObjectNode priorities = issues.putObject("priority_labels");
        c.issues()
            .priorityLabels()
            .forEach((l, p) -> priorities.put(l, p.name().toLowerCase(java.util.Locale.ROOT)));
      }
    }
    if (!c.conflicts().equals(ConflictSettings.defaults())) {
      ObjectNode conflicts = root.putObject("conflicts");
      conflicts.put("strategy", c.conflicts().strategy().key());
      conflicts.put("overlap", c.conflicts().overlap().key());
      conflicts.put("history_commits", c.conflicts().historyCommits());
    }
    if (c.pipelines().allowedProgramsSet()) {
      // Written even when empty: an empty list allows no program, unlike no list.
      ArrayNode programs = root.putObject("pipelines").putArray("allowed_programs");
      c.pipelines().allowedPrograms().forEach(programs::add);
    }
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return MAPPER.writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new OrchestrationException("cannot render the config as JSON", e);
    }
  }

  /**
   * Writes the config to a file atomically (a temporary file, then a rename), so a crash never
   * leaves half a config.
   *
   * @throws OrchestrationException if the file cannot be written
   */
  public static void save(OrchestrationConfig config, Path file) {
    Path absolute = file.toAbsolutePath();
    try {
      Path dir = absolute.getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
      try {
        Files.writeString(tmp, toJson(config), StandardCharsets.UTF_8);
        Files.move(
            tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new OrchestrationException(
          "cannot write config " + absolute + ": " + e.getMessage(), e);
    }
  }

  private static ObjectNode schedule(Schedule s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("expression", s.expression());
    s.windowStart().ifPresent(t -> n.put("window_start", HH_MM.format(t)));
    s.windowEnd().ifPresent(t -> n.put("window_end", HH_MM.format(t)));
    n.put("jitter_ms", s.jitterMs());
    n.put("on_missed", s.onMissed().jsonName());
    s.timezone().ifPresent(z -> n.put("timezone", z.getId()));
    if (s.alarmAfterNights() != Schedule.DEFAULT_ALARM_AFTER_NIGHTS) {
      n.put("alarm_after_nights", s.alarmAfterNights());
    }
    if (!s.wake().equals(Schedule.Wake.disabled())) {
      ObjectNode wake = n.putObject("wake");
      wake.put("enabled", s.wake().enabled());
      wake.put("lead_sec", s.wake().leadSec());
    }
    return n;
  }

  private static ObjectNode constraints(Constraints c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("plugged_in", c.pluggedIn());
    n.put("wifi_only", c.wifiOnly());
    if (c.allowWired()) {
      n.put("allow_wired", true);
    }
    c.cpuMaxPercentage().ifPresent(p -> n.put("cpu_max_percentage", p));
    n.put("respect_dnd", c.respectDnd());
    n.put("suspend_if_active", c.suspendIfActive());
    n.put("idle_minutes", c.idleMinutes());
    n.put("on_unknown", c.onUnknown().jsonName());
    n.put("check_timeout_ms", c.checkTimeout().toMillis());
    n.put("recheck_interval_sec", c.recheckInterval().toSeconds());
    if (!c.checkers().isEmpty()) {
      n.set("checkers", MAPPER.valueToTree(c.checkers()));
    }
    return n;
  }

  private static ObjectNode agent(AgentCommand a) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("command", a.command().raw());
    strings(n.putArray("args"), a.args());
    ObjectNode env = n.putObject("env");
    new java.util.TreeMap<>(a.env()).forEach(env::put);
    a.mode().ifPresent(m -> n.put("mode", m));
    return n;
  }

  private static ObjectNode spending(SpendingLimit s) {
    ObjectNode n = MAPPER.createObjectNode();
    s.tokens().ifPresent(t -> n.put("tokens", t));
    s.costUsd().ifPresent(c -> n.put("cost_usd", c));
    s.agentSeconds().ifPresent(a -> n.put("agent_seconds", a));
    return n;
  }

  private static ObjectNode mcpServer(McpServer s) {
    ObjectNode n = MAPPER.createObjectNode();
    if (s instanceof McpServer.Stdio stdio) {
      n.put("type", "stdio");
      n.put("name", stdio.name());
      n.put("command", stdio.command());
      strings(n.putArray("args"), stdio.args());
      sorted(n.putObject("env"), stdio.env());
    } else if (s instanceof McpServer.Http http) {
      n.put("type", "http");
      n.put("name", http.name());
      n.put("url", http.url());
      sorted(n.putObject("headers"), http.headers());
    } else if (s instanceof McpServer.Sse sse) {
      n.put("type", "sse");
      n.put("name", sse.name());
      n.put("url", sse.url());
      sorted(n.putObject("headers"), sse.headers());
    }
    return n;
  }

  private static void sorted(ObjectNode target, Map<String, String> values) {
    new java.util.TreeMap<>(values).forEach(target::put);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
