package dev.overnight.cli;

import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.store.Store;
import dev.overnight.core.fleet.FleetStatus;
import dev.overnight.core.fleet.WorkerPresence;
import dev.overnight.core.json.OvernightJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code overnight fleet}: the machines that share a store.
 *
 * @since 0.1.0
 */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = "Show the machines that share this store's queue.",
    subcommands = {FleetCommand.Status.class})
public final class FleetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: status");
  }

  /**
   * {@code overnight fleet status}: each machine, its state, the constraints that hold it back,
   * since when it is offline, its last heartbeat and current tasks; the shared queue by status and
   * by required label. Every value from the store is printed as {@linkplain TerminalText text}.
   */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show every machine sharing the store: its state, unmet constraints, last heartbeat (offline"
            + " after 5 minutes without one) and current tasks; and the queue by status and by"
            + " required label."
      })
  public static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Option(names = "--json", description = "Print as JSON (docs/schema/fleet.schema.json).")
    boolean json;

    @Override
    public Integer call() {
      try (Store store = state.openStore(state.paths())) {
        FleetStatus fleet =
            FleetStatus.read(
                store.workers(),
                store.taskQueue(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                WorkerPresence.OFFLINE_AFTER);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          out.println(OvernightJson.writePretty(OvernightJson.fleet(fleet)));
        } else {
          out.print(TerminalText.text(text(fleet)));
        }
        out.flush();
        return ExitCodes.OK;
      }
    }

    static String text(FleetStatus fleet) {
      StringBuilder b = new StringBuilder();
      int n = fleet.machines().size();
      if (n == 0) {
        b.append(
            "No machine has recorded itself in this store yet (a daemon does when it starts).\n");
      } else {
        b.append(n == 1 ? "1 machine" : n + " machines")
            .append(" (offline after ")
            .append(fleet.offlineAfter().toMinutes())
            .append(" min without a heartbeat)\n\n");
        b.append(
            String.format(
                Locale.ROOT, "%-20s  %-24s  %-34s  %s%n", "NAME", "ID", "STATE", "LAST HEARTBEAT"));
        for (FleetStatus.Machine m : fleet.machines()) {
          WorkerInfo w = m.worker();
          b.append(
              String.format(
                  Locale.ROOT,
                  "%-20s  %-24s  %-34s  %s%n",
                  TerminalText.line(w.name()),
                  TerminalText.line(w.id()),
                  state(m),
                  w.lastHeartbeat() + " (" + ago(fleet.at(), w.lastHeartbeat()) + ")"));
          if (!m.offline() && !w.currentTasks().isEmpty()) {
            b.append("    running: ")
                .append(
                    w.currentTasks().stream()
                        .map(TaskId::shortId)
                        .collect(Collectors.joining(", ")))
                .append('\n');
          }
          if (!w.state().unmet().isEmpty()) {
            b.append("    unmet: ")
                .append(TerminalText.line(String.join("; ", w.state().unmet())))
                .append('\n');
          }
          b.append("    labels: ")
              .append(TerminalText.line(String.join(" ", w.labels())))
              .append('\n');
        }
      }
      b.append("\nQueue: ")
          .append(
              fleet.queue().byStatus().entrySet().stream()
                  .map(e -> e.getValue() + " " + words(e.getKey()))
                  .collect(Collectors.joining(", ")))
          .append('\n');
      if (!fleet.queue().liveByLabel().isEmpty()) {
        b.append(
            String.format(
                Locale.ROOT, "  %-40s  %7s  %11s%n", "REQUIRED LABEL", "PENDING", "IN PROGRESS"));
        fleet
            .queue()
            .liveByLabel()
            .forEach(
                (label, count) ->
                    b.append(
                        String.format(
                            Locale.ROOT,
                            "  %-40s  %7d  %11d%n",
                            label.equals(FleetStatus.ANY_MACHINE)
                                ? "(any machine)"
                                : TerminalText.line(label),
                            count.pending(),
                            count.inProgress())));
      }
      return b.toString();
    }

    private static String state(FleetStatus.Machine m) {
      if (m.offline()) {
        return "offline since " + m.offlineSince().orElseThrow();
      }
      return m.worker().state().kind().key().replace('_', ' ');
    }

    private static String words(TaskStatus s) {
      return s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String ago(Instant now, Instant then) {
      Duration d = Duration.between(then, now);
      if (d.isNegative()) {
        return "ahead of this clock";
      }
      if (d.toMinutes() < 1) {
        return d.toSeconds() + " s ago";
      }
      if (d.toHours() < 1) {
        return d.toMinutes() + " min ago";
      }
      return d.toHours() + " h ago";
    }
  }
}
