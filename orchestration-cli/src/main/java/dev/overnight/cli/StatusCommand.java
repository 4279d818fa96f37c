package dev.overnight.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.api.store.Store;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.runtime.StateLock;
import dev.overnight.core.runtime.StatePaths;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overnight status}: is the daemon running, what is queued, what ran. Every value from the
 * folder or the store is printed as {@linkplain TerminalText text}.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show whether the daemon runs, the queue, the schedule's state and the last cycles.")
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOptions state;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    StatePaths paths = state.paths();
    boolean running = StateLock.isHeld(paths);
    Optional<DaemonInfo> info = DaemonInfo.read(paths);
    String id =
        state
            .config()
            .map(c -> c.id())
            .or(() -> info.map(DaemonInfo::configId))
            .orElse(paths.root().getFileName().toString());
    ObjectNode n = OvernightJson.object();
    n.put("state_dir", paths.root().toString());
    n.put("config_id", id);
    n.put("running", running);
    if (running) {
      StateLock.holderOf(paths).ifPresent(pid -> n.put("pid", pid));
      info.flatMap(DaemonInfo::dashboard).ifPresent(d -> n.put("dashboard", d));
    }
    if (!Files.exists(paths.database())) {
      n.put("database", "none yet");
    } else {
      try (Store store = state.openStore(paths)) {
        Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
        for (TaskStatus s : TaskStatus.values()) {
          Page<Task> page = store.taskQueue().list(TaskFilter.withStatus(s).page(0, 1));
          counts.put(s, page.total());
        }
        ObjectNode q = n.putObject("queue");
        counts.forEach((s, c) -> q.put(s.name().toLowerCase(java.util.Locale.ROOT), c));
        Optional<SchedulerSnapshot> snapshot = store.schedulerStateStore().load(id);
        snapshot.ifPresent(
            s -> {
              ObjectNode sn = n.putObject("schedule");
              sn.put("cycle_count", s.cycleCount());
              s.lastRunAt().ifPresent(t -> sn.put("last_run", t.toString()));
              s.nextPlannedWake().ifPresent(t -> sn.put("next_wake", t.toString()));
              sn.put("catch_up_pending", s.catchUpPending());
            });
        List<CycleRecord> cycles = store.schedulerStateStore().recentCycles(id, 5);
        n.set("recent_cycles", OvernightJson.cycles(cycles));
      }
    }
    if (Files.exists(paths.reports().resolve("latest.md"))) {
      n.put("latest_report", paths.reports().resolve("latest.md").toString());
    }
    if (json) {
      out.println(OvernightJson.writePretty(n));
    } else {
      out.println(
          TerminalText.line(
              "Overnight "
                  + id
                  + ": "
                  + (running ? "running (pid " + n.path("pid").asText() + ")" : "not running")));
      out.println(TerminalText.line("  state      " + paths.root()));
      if (n.has("dashboard")) {
        out.println(TerminalText.line("  dashboard  " + n.path("dashboard").asText()));
      }
      if (n.has("queue")) {
        StringBuilder q = new StringBuilder();
        n.path("queue")
            .fields()
            .forEachRemaining(
                e -> q.append(e.getValue().asText()).append(' ').append(e.getKey()).append(", "));
        out.println(TerminalText.line("  queue      " + q.substring(0, q.length() - 2)));
      }
      if (n.has("schedule")) {
        out.println(
            TerminalText.line(
                "  cycles     "
                    + n.path("schedule").path("cycle_count").asText()
                    + (n.path("schedule").has("last_run")
                        ? ", last at " + n.path("schedule").path("last_run").asText()
                        : "")));
        if (n.path("schedule").has("next_wake")) {
          out.println(
              TerminalText.line("  next wake  " + n.path("schedule").path("next_wake").asText()));
        }
      }
      n.path("recent_cycles")
          .forEach(
              c ->
                  out.println(
                      TerminalText.line(
                          "    "
                              + c.path("planned_at").asText()
                              + "  "
                              + c.path("outcome").asText()
                              + (c.has("skip_reason")
                                  ? " (" + c.path("skip_reason").asText() + ")"
                                  : ""))));
      if (n.has("latest_report")) {
        out.println(TerminalText.line("  report     " + n.path("latest_report").asText()));
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
