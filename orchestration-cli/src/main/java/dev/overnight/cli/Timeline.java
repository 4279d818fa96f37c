package dev.overnight.cli;

import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.hub.HubItem;
import dev.overnight.core.time.Durations;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints what Overnight does as it happens, one line per event, with the time of the event on the
 * run's clock (virtual in a compressed night): schedule, constraint checks, decisions with their
 * rationale, tasks, agent updates and the report. Thread-safe.
 */
final class Timeline {
  private final PrintWriter out;
  private final DateTimeFormatter time;
  private final boolean agentDetail;

  Timeline(PrintWriter out, ZoneId zone, boolean agentDetail) {
    this.out = out;
    this.time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
    this.agentDetail = agentDetail;
  }

  void onScheduler(SchedulerEvent e) {
    if (e instanceof SchedulerEvent.StateChanged s && s.to() instanceof SchedulerState.Running r) {
      line(e.at(), "schedule", "running; next wake " + time.format(r.nextWake()));
    } else if (e instanceof SchedulerEvent.ConstraintsChecked c) {
      line(
          e.at(),
          "constraints",
          (c.satisfied() ? "satisfied: " : "NOT satisfied: ") + results(c.results()));
    } else if (e instanceof SchedulerEvent.CycleStarted c) {
      line(e.at(), "cycle", c.cycleId() + " started" + (c.catchUp() ? " (catch-up)" : ""));
    } else if (e instanceof SchedulerEvent.CycleFinished c) {
      line(
          e.at(),
          "cycle",
          c.cycleId()
              + " finished after "
              + Durations.human(c.duration())
              + c.error().map(err -> " with an error: " + err).orElse(""));
    } else if (e instanceof SchedulerEvent.CycleSkipped s) {
      line(e.at(), "cycle", "skipped (" + s.reason().key().replace('_', ' ') + "): " + s.detail());
    } else if (e instanceof SchedulerEvent.Paused p) {
      line(
          e.at(),
          "schedule",
          "paused: " + p.reason() + "; checking again at " + time.format(p.retryAt()));
    } else if (e instanceof SchedulerEvent.Resumed) {
      line(e.at(), "schedule", "resumed");
    }
  }

  void onCoordinator(CoordinatorEvent e) {
    if (e instanceof CoordinatorEvent.Decided d) {
      line(
          e.at(),
          "decide",
          d.decision().path().key()
              + " → "
              + d.decision().agentId()
              + String.format(
                  java.util.Locale.ROOT, " (confidence %.2f): ", d.decision().confidence())
              + d.decision().title()
              + (d.enqueued() ? "" : " [already queued]"));
      line(e.at(), "", "why: " + d.decision().rationale());
    } else if (e instanceof CoordinatorEvent.NothingToDo n) {
      line(e.at(), "decide", n.reason());
    } else if (e instanceof CoordinatorEvent.TaskStarted t) {
      line(
          e.at(),
          "task",
          t.task().id().shortId() + " started: " + t.agentId() + " on branch " + t.branch());
    } else if (e instanceof CoordinatorEvent.TaskEnded t) {
      String facts =
          t.task().fact(TaskFacts.PR_URL).or(() -> t.task().fact(TaskFacts.PR_NOTE)).orElse("");
      line(
          e.at(),
          "task",
          t.task().id().shortId()
              + " "
              + t.outcome()
              + (t.reason().isEmpty() ? "" : ": " + t.reason())
              + (facts.isEmpty() ? "" : " (" + facts + ")"));
    } else if (e instanceof CoordinatorEvent.AgentParked p) {
      line(
          e.at(),
          "agent",
          p.agentId() + " parked until " + time.format(p.until()) + ": " + p.reason());
    } else if (e instanceof CoordinatorEvent.LimitWarning w) {
      line(e.at(), "limit", w.message());
    } else if (e instanceof CoordinatorEvent.CycleEnded c) {
      c.report().ifPresent(r -> line(e.at(), "report", r));
    } else if (e instanceof CoordinatorEvent.PullRequestChanged p) {
      line(
          e.at(),
          "pr",
          p.task().id().shortId() + " " + p.state().replace('_', ' ') + ": " + p.prUrl());
    }
  }

  void onHub(HubItem item) {
    if (!agentDetail || !(item instanceof HubItem.Event event)) {
      return;
    }
    SessionEvent e = event.event();
    String who = e.taskId().map(t -> t.shortId()).orElse(e.sessionId());
    String text = describe(e.update());
    if (!text.isEmpty()) {
      line(e.at(), "agent", who + " " + text);
    }
  }

  private static String describe(SessionUpdate u) {
    if (u instanceof SessionUpdate.AgentThoughtChunk t) {
      return "thinks: " + oneLine(t.content());
    }
    if (u instanceof SessionUpdate.AgentMessageChunk m) {
      return "says: " + oneLine(m.content());
    }
    if (u instanceof SessionUpdate.Plan p) {
      return "plan: "
          + p.entries().stream()
              .map(
                  x ->
                      ("completed".equals(x.status())
                              ? "[x] "
                              : "in_progress".equals(x.status()) ? "[~] " : "[ ] ")
                          + x.content())
              .collect(Collectors.joining(", "));
    }
    if (u instanceof SessionUpdate.ToolCall c) {
      return "tool: " + c.title() + " (" + c.toolKind().wireName() + ")";
    }
    if (u instanceof SessionUpdate.ToolCallUpdate c && c.status().isPresent()) {
      return "tool " + c.toolCallId() + " " + c.status().get().wireName();
    }
    return "";
  }

  private static String oneLine(ContentBlock c) {
    String s = c.asText().replace('\n', ' ').strip();
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  private static String results(Map<String, ConstraintResult> results) {
    return results.isEmpty()
        ? "no constraint configured"
        : results.entrySet().stream()
            .map(r -> r.getKey() + " (" + r.getValue().reason() + ")")
            .collect(Collectors.joining(", "));
  }

  /**
   * One line of the timeline; {@code text} is shown as text, whatever an agent or a file put in it.
   */
  synchronized void line(Instant at, String what, String text) {
    out.printf("%s  %-11s %s%n", time.format(at), what, TerminalText.line(text));
    out.flush();
  }

  synchronized void note(String text) {
    out.println(TerminalText.text(text));
    out.flush();
  }
}
