package dev.overnight.core.report;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What happened over a night: cycles run and skipped (and why), every task's outcome with its
 * branch, pull request and gate result, and the time and cost used. Rendered as Markdown and as a
 * self-contained HTML page.
 *
 * @param configId the configuration
 * @param from start of the period
 * @param to end of the period
 * @param zone the zone times are shown in
 * @param cycles cycles of the period, oldest first
 * @param tasks tasks that changed in the period
 * @param setbacks why earlier attempts of a task did not finish it (retried, released, lease lost),
 *     oldest first, by task; a completed task that needed a second try says why here
 */
public record MorningReport(
    String configId,
    Instant from,
    Instant to,
    ZoneId zone,
    List<CycleRecord> cycles,
    List<Task> tasks,
    Map<TaskId, List<String>> setbacks) {

  /** Copies and orders the lists. */
  public MorningReport {
    Objects.requireNonNull(configId, "configId");
    cycles = cycles.stream().sorted(Comparator.comparing(CycleRecord::plannedAt)).toList();
    tasks = tasks.stream().sorted(Comparator.comparing(Task::createdAt)).toList();
    setbacks = Map.copyOf(setbacks);
  }

  /** A report without setbacks. */
  public MorningReport(
      String configId,
      Instant from,
      Instant to,
      ZoneId zone,
      List<CycleRecord> cycles,
      List<Task> tasks) {
    this(configId, from, to, zone, cycles, tasks, Map.of());
  }

  /** Tasks per status. */
  public Map<TaskStatus, Long> countByStatus() {
    Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
    tasks.forEach(t -> counts.merge(t.status(), 1L, Long::sum));
    return counts;
  }

  /** Agent seconds, tokens and cost recorded on the tasks. */
  public String usageLine() {
    long seconds = total("agent_seconds");
    long tokens = total("tokens");
    double cost = totalCost();
    return "agents worked "
        + Duration.ofSeconds(seconds).toMinutes()
        + " min"
        + (tokens > 0 ? ", " + tokens + " tokens" : "")
        + (cost > 0 ? String.format(Locale.ROOT, ", $%.2f", cost) : "");
  }

  /** The report as Markdown. */
  public String markdown() {
    DateTimeFormatter at = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
    StringBuilder md = new StringBuilder();
    md.append("# Overnight report — ").append(configId).append("\n\n");
    md.append(at.format(from))
        .append(" to ")
        .append(at.format(to))
        .append(" (")
        .append(zone)
        .append(")\n\n");
    Map<TaskStatus, Long> counts = countByStatus();
    md.append("**")
        .append(counts.getOrDefault(TaskStatus.COMPLETED, 0L))
        .append(" completed, ")
        .append(counts.getOrDefault(TaskStatus.FAILED, 0L))
        .append(" failed, ")
        .append(
            counts.getOrDefault(TaskStatus.PENDING, 0L)
                + counts.getOrDefault(TaskStatus.IN_PROGRESS, 0L))
        .append(" still queued, ")
        .append(counts.getOrDefault(TaskStatus.CANCELLED, 0L))
        .append(" cancelled** — ")
        .append(usageLine())
        .append(".\n\n");
    md.append("## Tasks\n\n");
    if (tasks.isEmpty()) {
      md.append("No task ran.\n\n");
    } else {
      md.append("| Task | Status | Agent | Branch | Pull request | Quality gate | Notes |\n");
      md.append("|---|---|---|---|---|---|---|\n");
      for (Task t : tasks) {
        Map<String, String> m = t.metadata();
        md.append("| ")
            .append(cell(t.title()))
            .append(" | ")
            .append(t.status().name().toLowerCase(Locale.ROOT))
            .append(t.attempts() > 1 ? " (" + t.attempts() + " attempts)" : "")
            .append(" | ")
            .append(cell(m.getOrDefault("agent", t.agentId().orElse(""))))
            .append(" | ")
            .append(m.containsKey("branch") ? "`" + cell(m.get("branch")) + "`" : "")
            .append(" | ")
            .append(cell(m.containsKey("pr_url") ? m.get("pr_url") : m.getOrDefault("pr_note", "")))
            .append(" | ")
            .append(cell(m.getOrDefault("gate", "")))
            .append(" | ")
            .append(cell(notes(t, setbacks.getOrDefault(t.id(), List.of()))))
            .append(" |\n");
      }
      md.append('\n');
    }
    md.append("## Cycles\n\n");
    if (cycles.isEmpty()) {
      md.append("No cycle was planned.\n");
    } else {
      for (CycleRecord c : cycles) {
        md.append("- ").append(at.format(c.plannedAt())).append(" — ");
        if (c.outcome() == CycleOutcome.SKIPPED) {
          md.append("skipped: ")
              .append(c.skipReason().map(r -> r.key().replace('_', ' ')).orElse(""))
              .append(detail(c.detail()));
        } else {
          md.append(c.outcome().name().toLowerCase(Locale.ROOT));
          if (c.startedAt().isPresent() && c.finishedAt().isPresent()) {
            md.append(" in ")
                .append(human(Duration.between(c.startedAt().get(), c.finishedAt().get())));
          }
          md.append(c.catchUp() ? " (catch-up)" : "");
          md.append(detail(runnerNotes(c.detail())));
        }
        md.append('\n');
      }
    }
    return md.toString();
  }

  /**
   * The report as JSON: counts, usage, every task (with its branch, pull request, gate, setbacks
   * and metadata) and every cycle, with raw values rather than formatted text.
   */
  public String json() {
    return ReportJson.render(this);
  }

  /** The report as a self-contained HTML page. */
  public String html() {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>Overnight report — "
        + escape(configId)
        + "</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        + "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;"
        + "vertical-align:top}code{font-size:90%}</style></head><body>\n"
        + MarkdownHtml.render(markdown())
        + "</body></html>\n";
  }

  private static String human(Duration d) {
    return d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }

  private static String detail(String detail) {
    return detail.isBlank() ? "" : " — " + detail.replace('\n', ' ');
  }

  /**
   * A completed cycle's detail without the scheduler's "completed in …", which only repeats the
   * duration shown already; the runner's notes after it stay.
   */
  private static String runnerNotes(String detail) {
    if (!detail.startsWith("completed in ")) {
      return detail;
    }
    int notes = detail.indexOf("; ");
    return notes < 0 ? "" : detail.substring(notes + 2);
  }

  private static String notes(Task t, List<String> setbacks) {
    List<String> notes = new ArrayList<>(setbacks);
    t.lastError()
        .filter(e -> t.status() != TaskStatus.COMPLETED)
        .filter(e -> setbacks.stream().noneMatch(s -> s.startsWith(e)))
        .ifPresent(notes::add);
    String push = t.metadata().get("push_note");
    if (push != null && push.startsWith("push rejected")) {
      notes.add(push);
    }
    String commits = t.metadata().get("commits");
    if (commits != null) {
      notes.add(commits + (commits.equals("1") ? " commit" : " commits"));
    }
    return String.join("; ", notes);
  }

  /** The cost in US dollars the agents reported for the tasks. */
  double totalCost() {
    return tasks.stream()
        .map(t -> t.metadata().get("cost_usd"))
        .filter(Objects::nonNull)
        .mapToDouble(MorningReport::parseDouble)
        .sum();
  }

  /** A whole-number usage figure ({@code agent_seconds}, {@code tokens}) summed over the tasks. */
  long total(String key) {
    return tasks.stream()
        .map(t -> t.metadata().get(key))
        .filter(Objects::nonNull)
        .mapToLong(v -> (long) parseDouble(v))
        .sum();
  }

  private static double parseDouble(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace('\n', ' ');
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
