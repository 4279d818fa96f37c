package dev.overnight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.store.Store;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.report.NightAlarm;
import dev.overnight.core.report.NightAlarms;
import dev.overnight.core.runtime.StateLock;
import dev.overnight.core.runtime.StatePaths;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight status}: is the daemon running, what is queued, what ran, where the dashboard
 * is. With {@code --config} or {@code --state-dir}, one state folder; without, every state folder
 * under the per-user base, which is where a config without {@code state_dir} (what {@code config
 * init} writes) keeps its state — so a plain {@code overnight status} answers in the morning. Every
 * value from the folder or the store is printed as {@linkplain TerminalText text}.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show whether the daemon runs, the queue, the schedule's state, the last cycles and where a"
          + " dashboard serves the folder.",
      "Without --config or --state-dir: every state folder under the per-user base (--json then"
          + " prints a list)."
    })
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOptions state;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  private final Path userBase;

  /** The command over the per-user base every command uses. */
  public StatusCommand() {
    this(StateOptions.userBase());
  }

  /** The command over another per-user base (for tests). */
  StatusCommand(Path userBase) {
    this.userBase = userBase;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (state.named()) {
      ObjectNode n = statusOf(state.paths(), state.config());
      out.print(json ? OvernightJson.writePretty(n) + "\n" : TerminalText.text(text(n)));
      out.flush();
      return ExitCodes.OK;
    }
    List<Path> folders = StateOptions.foldersUnder(userBase);
    ArrayNode all = OvernightJson.array();
    for (Path folder : folders) {
      all.add(statusOf(new StatePaths(folder), Optional.empty()));
    }
    if (json) {
      out.println(OvernightJson.writePretty(all));
    } else if (folders.isEmpty()) {
      out.println(
          "No state folder under "
              + userBase
              + " yet: nothing has run with a config that leaves state_dir out.");
      out.println(
          "A daemon makes one when it starts; give --config FILE or --state-dir DIR for a folder"
              + " elsewhere.");
    } else {
      StringBuilder text = new StringBuilder();
      all.forEach(
          n -> text.append(text.length() == 0 ? "" : "\n").append(TerminalText.text(text(n))));
      out.print(text);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private ObjectNode statusOf(StatePaths paths, Optional<OrchestrationConfig> config) {
    boolean running = StateLock.isHeld(paths);
    Optional<DaemonInfo> info = DaemonInfo.read(paths);
    String id = StateOptions.configId(paths, config);
    ObjectNode n = OvernightJson.object();
    n.put("state_dir", paths.root().toString());
    n.put("config_id", id);
    n.put("running", running);
    if (running) {
      StateLock.holderOf(paths).ifPresent(pid -> n.put("pid", pid));
      info.flatMap(DaemonInfo::dashboard).ifPresent(d -> n.put("dashboard", d));
    }
    ServeInfo.running(paths)
        .ifPresent(s -> n.putObject("serve").put("pid", s.pid()).put("dashboard", s.dashboard()));
    if (!state.storeExists(paths)) {
      n.put("database", "none yet");
    } else {
      try (Store store = state.openStore(paths)) {
        ObjectNode q = n.putObject("queue");
        for (TaskStatus s : TaskStatus.values()) {
          Page<Task> page = store.taskQueue().list(TaskFilter.withStatus(s).page(0, 1));
          q.put(s.name().toLowerCase(Locale.ROOT), page.total());
        }
        String schedulerId = StateOptions.schedulerId(paths, config, store);
        Optional<SchedulerSnapshot> snapshot = store.schedulerStateStore().load(schedulerId);
        snapshot.ifPresent(
            s -> {
              ObjectNode sn = n.putObject("schedule");
              sn.put("cycle_count", s.cycleCount());
              s.lastRunAt().ifPresent(t -> sn.put("last_run", t.toString()));
              s.nextPlannedWake().ifPresent(t -> sn.put("next_wake", t.toString()));
              sn.put("catch_up_pending", s.catchUpPending());
            });
        List<CycleRecord> cycles = store.schedulerStateStore().recentCycles(schedulerId, 5);
        n.set("recent_cycles", OvernightJson.cycles(cycles));
        List<NightAlarm> alarms =
            NightAlarms.read(
                store.taskQueue(),
                store.schedulerStateStore(),
                schedulerId,
                StateOptions.ownTasks(paths, store),
                config.map(c -> c.schedule().zoneOrDefault()).orElse(ZoneId.systemDefault()),
                config
                    .map(c -> c.schedule().alarmAfterNights())
                    .orElse(Schedule.DEFAULT_ALARM_AFTER_NIGHTS));
        if (!alarms.isEmpty()) {
          n.set("alarms", OvernightJson.alarms(alarms));
        }
        Instant now = Instant.now();
        List<QuotaWindow> quota =
            store.schedulerStateStore().quotaWindows().stream().filter(w -> w.openAt(now)).toList();
        if (!quota.isEmpty()) {
          n.set("quota", OvernightJson.quotaWindows(quota));
        }
      }
    }
    if (Files.exists(paths.reports().resolve("latest.md"))) {
      n.put("latest_report", paths.reports().resolve("latest.md").toString());
    }
    return n;
  }

  private static String text(JsonNode n) {
    StringBuilder b = new StringBuilder();
    b.append("Overnight ")
        .append(n.path("config_id").asText())
        .append(": ")
        .append(
            n.path("running").asBoolean()
                ? "running (pid " + n.path("pid").asText() + ")"
                : "not running")
        .append('\n');
    // Loud and first: nights that fired without a change, or did not fire at all.
    n.path("alarms")
        .forEach(a -> b.append("  ALARM      ").append(a.path("message").asText()).append('\n'));
    line(b, "state", n.path("state_dir").asText());
    if (n.has("dashboard")) {
      line(b, "dashboard", n.path("dashboard").asText());
    }
    if (n.has("serve")) {
      line(
          b,
          "serve",
          n.path("serve").path("dashboard").asText()
              + " (overnight serve, pid "
              + n.path("serve").path("pid").asText()
              + ")");
    }
    if (n.has("queue")) {
      StringBuilder q = new StringBuilder();
      n.path("queue")
          .fields()
          .forEachRemaining(
              e -> q.append(e.getValue().asText()).append(' ').append(e.getKey()).append(", "));
      line(b, "queue", q.substring(0, q.length() - 2));
    }
    JsonNode schedule = n.path("schedule");
    if (n.has("schedule")) {
      line(
          b,
          "cycles",
          schedule.path("cycle_count").asText()
              + (schedule.has("last_run")
                  ? ", last at " + schedule.path("last_run").asText()
                  : ""));
      if (schedule.has("next_wake")) {
        line(b, "next wake", schedule.path("next_wake").asText());
      }
    }
    n.path("recent_cycles")
        .forEach(
            c ->
                b.append("    ")
                    .append(c.path("planned_at").asText())
                    .append("  ")
                    .append(c.path("outcome").asText())
                    .append(c.has("skip_reason") ? " (" + c.path("skip_reason").asText() + ")" : "")
                    .append(receipt(c.path("receipt")))
                    .append('\n'));
    n.path("quota").forEach(w -> line(b, "usage", usage(w)));
    if (n.has("latest_report")) {
      line(b, "report", n.path("latest_report").asText());
    }
    return b.toString();
  }

  /**
   * A wake's receipt after its outcome, when it says more than the outcome: a ran cycle that
   * started nothing, a skip that a catch-up makes up for, and the detail of either.
   */
  private static String receipt(JsonNode r) {
    String verdict = r.path("verdict").asText("fired");
    if (verdict.equals("fired")) {
      return "";
    }
    return "  "
        + verdict
        + ": "
        + r.path("reason").asText().replace('_', ' ')
        + (r.has("detail") ? " — " + r.path("detail").asText() : "");
  }

  /** A usage window in words: {@code "codex: 42000 of 100000 tokens (42%), resets at ..."}. */
  private static String usage(JsonNode w) {
    long used = w.path("used_tokens").asLong();
    String of =
        w.has("limit_tokens")
            ? " of "
                + w.path("limit_tokens").asLong()
                + " tokens ("
                + (w.path("limit_tokens").asLong() == 0
                    ? 100
                    : Math.round(100.0 * used / w.path("limit_tokens").asLong()))
                + "%)"
            : " tokens (the window's size not known yet)";
    return w.path("agent_id").asText()
        + ": "
        + used
        + of
        + (w.path("exhausted").asBoolean() ? ", spent" : "")
        + (w.has("resets_at") ? ", resets at " + w.path("resets_at").asText() : "");
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append("  ").append(String.format(Locale.ROOT, "%-10s", label)).append(' ').append(value);
    b.append('\n');
  }
}
