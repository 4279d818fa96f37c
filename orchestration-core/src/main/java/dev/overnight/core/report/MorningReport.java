package dev.overnight.core.report;

import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFact;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeVerdict;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.pipeline.PipelineProgress;
import dev.overnight.core.time.Durations;
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
import java.util.Optional;
import java.util.stream.Collectors;

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
 * @param alarms the night alarms over the schedule's last nights, shown before everything else
 * @param quota what was used of each agent's usage windows that were open during the period, as the
 *     quota ledger kept them
 * @param fleet on a queue machines share, where this report covers the tasks this machine ran: what
 *     each other machine ran in the period; empty otherwise
 * @since 0.1.0
 */
public record MorningReport(
    String configId,
    Instant from,
    Instant to,
    ZoneId zone,
    List<CycleRecord> cycles,
    List<Task> tasks,
    Map<TaskId, List<String>> setbacks,
    List<NightAlarm> alarms,
    List<QuotaWindow> quota,
    List<MachineCounts> fleet) {

  /** Copies and orders the lists. */
  public MorningReport {
    Objects.requireNonNull(configId, "configId");
    cycles = cycles.stream().sorted(Comparator.comparing(CycleRecord::plannedAt)).toList();
    tasks = tasks.stream().sorted(Comparator.comparing(Task::createdAt)).toList();
    setbacks = Map.copyOf(setbacks);
    alarms = List.copyOf(alarms);
    quota = List.copyOf(quota);
    fleet = List.copyOf(fleet);
  }

  /** A report of one machine's store, or of a fleet's without the other machines' counts. */
  public MorningReport(
      String configId,
      Instant from,
      Instant to,
      ZoneId zone,
      List<CycleRecord> cycles,
      List<Task> tasks,
      Map<TaskId, List<String>> setbacks,
      List<NightAlarm> alarms,
      List<QuotaWindow> quota) {
    this(configId, from, to, zone, cycles, tasks, setbacks, alarms, quota, List.of());
  }

  /** A report without the quota ledger's windows. */
  public MorningReport(
      String configId,
      Instant from,
      Instant to,
      ZoneId zone,
      List<CycleRecord> cycles,
      List<Task> tasks,
      Map<TaskId, List<String>> setbacks,
      List<NightAlarm> alarms) {
    this(configId, from, to, zone, cycles, tasks, setbacks, alarms, List.of(), List.of());
  }

  /** A report without night alarms. */
  public MorningReport(
      String configId,
      Instant from,
      Instant to,
      ZoneId zone,
      List<CycleRecord> cycles,
      List<Task> tasks,
      Map<TaskId, List<String>> setbacks) {
    this(configId, from, to, zone, cycles, tasks, setbacks, List.of(), List.of(), List.of());
  }

  /** A report without setbacks. */
  public MorningReport(
      String configId,
      Instant from,
      Instant to,
      ZoneId zone,
      List<CycleRecord> cycles,
      List<Task> tasks) {
    this(configId, from, to, zone, cycles, tasks, Map.of(), List.of(), List.of(), List.of());
  }

  /** Tasks per status. */
  public Map<TaskStatus, Long> countByStatus() {
    Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
    tasks.forEach(t -> counts.merge(t.status(), 1L, Long::sum));
    return counts;
  }

  /** Agent seconds, tokens and cost recorded on the tasks. */
  public String usageLine() {
    long seconds = total(TaskFacts.AGENT_SECONDS);
    long tokens = total(TaskFacts.TOKENS);
    double cost = totalCost();
    return "agents worked "
        + Durations.human(Duration.ofSeconds(seconds))
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
    // Loud and first: a night that looks fine task by task can still be one of many empty ones.
    for (NightAlarm alarm : alarms) {
      md.append("> **Alarm:** ").append(inline(alarm.message())).append("\n\n");
    }
    Map<TaskStatus, Long> counts = countByStatus();
    long unchanged =
        tasks.stream()
            .filter(t -> t.status() == TaskStatus.COMPLETED)
            .filter(t -> t.fact(TaskFacts.NO_CHANGE).isPresent())
            .count();
    md.append("**")
        .append(counts.getOrDefault(TaskStatus.COMPLETED, 0L))
        .append(" completed")
        .append(unchanged > 0 ? " (" + unchanged + " with no change)" : "")
        .append(", ")
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
    if (!fleet.isEmpty()) {
      // This machine's own night above; the rest of the fleet in one line, for scale.
      md.append("The rest of the fleet: ")
          .append(
              fleet.stream()
                  .map(m -> inline(m.machine()) + " " + m.words())
                  .collect(Collectors.joining("; ")))
          .append(".\n\n");
    }
    md.append("## Tasks\n\n");
    if (tasks.isEmpty()) {
      md.append("No task ran.\n\n");
    } else {
      md.append("| Task | Status | Agent | Branch | Pull request | Quality gate | Notes |\n");
      md.append("|---|---|---|---|---|---|---|\n");
      for (Task t : tasks) {
        md.append("| ")
            .append(cell(t.title()))
            .append(" | ")
            .append(t.status().name().toLowerCase(Locale.ROOT))
            .append(t.attempts() > 1 ? " (" + t.attempts() + " attempts)" : "")
            .append(" | ")
            .append(cell(t.fact(TaskFacts.AGENT).or(t::agentId).orElse("")))
            .append(" | ")
            .append(t.fact(TaskFacts.BRANCH).map(b -> "`" + cell(b) + "`").orElse(""))
            .append(" | ")
            .append(cell(pullRequest(t)))
            .append(" | ")
            .append(cell(t.fact(TaskFacts.GATE).orElse("")))
            .append(" | ")
            .append(cell(notes(t, setbacks.getOrDefault(t.id(), List.of()))))
            .append(" |\n");
      }
      md.append('\n');
    }
    appendWork(md);
    appendQuota(md, at);
    md.append("## Cycles\n\n");
    if (cycles.isEmpty()) {
      md.append("No cycle was planned.\n");
    } else {
      md.append(receiptCounts()).append("\n\n");
      systemWakeFailures().ifPresent(line -> md.append(line).append("\n\n"));
      for (CycleRecord c : cycles) {
        md.append("- ").append(at.format(c.plannedAt())).append(" — ");
        if (c.outcome() == CycleOutcome.SKIPPED) {
          Optional<WakeReason> own = ownReason(c);
          md.append(c.receipt().verdict().key())
              .append(": ")
              .append(
                  own.map(WakeReason::words)
                      .orElseGet(
                          () -> c.skipReason().map(r -> r.key().replace('_', ' ')).orElse("")));
          List<String> said = new ArrayList<>(c.notes());
          if (own.isPresent() && !said.contains(c.receipt().detail())) {
            said.add(c.receipt().detail());
          }
          md.append(notes(said));
        } else {
          md.append(c.outcome().name().toLowerCase(Locale.ROOT));
          if (c.startedAt().isPresent() && c.finishedAt().isPresent()) {
            md.append(" in ")
                .append(
                    Durations.human(Duration.between(c.startedAt().get(), c.finishedAt().get())));
          }
          md.append(c.catchUp() ? " (catch-up)" : "");
          if (!c.receipt().isFired()) {
            md.append(", ")
                .append(c.receipt().verdict().key())
                .append(" — nothing started: ")
                .append(c.receipt().reason().map(WakeReason::words).orElse(""));
          }
          md.append(notes(c.notes()));
        }
        md.append('\n');
      }
    }
    return md.toString();
  }

  /**
   * The report as pretty-printed JSON, in the shape of {@link OvernightJson#report}: counts, usage,
   * every task (with its facts: branch, pull request, gate), setbacks by task and every cycle, with
   * raw values rather than formatted text.
   */
  public String json() {
    return OvernightJson.writePretty(OvernightJson.report(this)) + "\n";
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

  /** What was used of each agent's usage windows, as the quota ledger learned them. */
  private void appendQuota(StringBuilder md, DateTimeFormatter at) {
    if (quota.isEmpty()) {
      return;
    }
    md.append("## Usage windows\n\n");
    for (QuotaWindow w : quota) {
      md.append("- ").append(w.agentId()).append(": ").append(w.usedTokens());
      if (w.limitTokens().isPresent()) {
        long limit = w.limitTokens().getAsLong();
        md.append(" of ")
            .append(limit)
            .append(" tokens (")
            .append(limit == 0 ? 100 : Math.round(100.0 * w.usedTokens() / limit))
            .append("%)");
      } else {
        md.append(" tokens (the window's size not known yet)");
      }
      md.append(w.exhausted() ? ", spent" : "")
          .append(" — window from ")
          .append(at.format(w.start()))
          .append(w.resetsAt().map(r -> " to " + at.format(r)).orElse(""))
          .append('\n');
    }
    md.append('\n');
  }

  /**
   * The receipt's reason of a skipped cycle when it says more than its skip reason (a deferral
   * because sleep would cut the night, a system wake that failed).
   */
  private static Optional<WakeReason> ownReason(CycleRecord c) {
    return c.receipt()
        .reason()
        .filter(r -> c.skipReason().map(WakeReason::of).filter(r::equals).isEmpty());
  }

  /** How many system wakes failed, when any did: they are why a night was slept through. */
  private Optional<String> systemWakeFailures() {
    long notScheduled =
        cycles.stream()
            .filter(c -> c.receipt().reason().equals(Optional.of(WakeReason.WAKE_NOT_SCHEDULED)))
            .count();
    long missed =
        cycles.stream()
            .filter(c -> c.receipt().reason().equals(Optional.of(WakeReason.WAKE_MISSED)))
            .count();
    if (notScheduled == 0 && missed == 0) {
      return Optional.empty();
    }
    return Optional.of(
        "**System wakes failed:** "
            + notScheduled
            + " could not be scheduled, "
            + missed
            + " did not wake the machine; see `overnight doctor`, section Wake-up.");
  }

  /** How many wakes fired, were skipped and were deferred: the night's receipts at a glance. */
  private String receiptCounts() {
    Map<WakeVerdict, Long> counts = new EnumMap<>(WakeVerdict.class);
    cycles.forEach(c -> counts.merge(c.receipt().verdict(), 1L, Long::sum));
    return "Wakes: "
        + counts.getOrDefault(WakeVerdict.FIRED, 0L)
        + " fired, "
        + counts.getOrDefault(WakeVerdict.SKIPPED, 0L)
        + " skipped, "
        + counts.getOrDefault(WakeVerdict.DEFERRED, 0L)
        + " deferred.";
  }

  private static String notes(List<String> notes) {
    return notes.isEmpty() ? "" : " — " + String.join("; ", notes).replace('\n', ' ');
  }

  /**
   * The task's pull request, where it stands and what the last sync with its base did ({@code
   * (open), rebased on main}), or why there is none.
   */
  private static String pullRequest(Task t) {
    return t.fact(TaskFacts.PR_URL)
        .map(
            u ->
                u
                    + t.fact(TaskFacts.PR_STATE)
                        .map(s -> " (" + s.replace('_', ' ') + ")")
                        .orElse("")
                    + baseSync(t).map(s -> ", " + s).orElse(""))
        .or(() -> t.fact(TaskFacts.PR_NOTE))
        .orElse("");
  }

  /** What the last sync with the base that did something did, in words, while it still holds. */
  private static Optional<String> baseSync(Task t) {
    Optional<String> base =
        t.fact(TaskFacts.BASE_SYNCS)
            .flatMap(l -> l.lines().reduce((a, b) -> b))
            .map(l -> l.split(" "))
            .filter(f -> f.length >= 3)
            .map(f -> f[2]);
    if (base.isEmpty()) {
      return Optional.empty();
    }
    String b = base.get();
    return t.fact(TaskFacts.BASE_SYNC)
        .flatMap(
            s ->
                switch (s) {
                  case "rebased" -> Optional.of("rebased on " + b);
                  case "merged" -> Optional.of(b + " merged in");
                  case "resolved" -> Optional.of("conflict with " + b + " resolved by the agent");
                  case "needs_resolution" -> Optional.of("conflict with " + b + ": needs a human");
                  default -> Optional.empty();
                });
  }

  private static String notes(Task t, List<String> setbacks) {
    List<String> notes = new ArrayList<>(collapsed(setbacks));
    t.fact(TaskFacts.FOLLOW_UP_ANSWERING).ifPresent(a -> notes.add("follow-up answering " + a));
    t.fact(TaskFacts.STACK_DROPPED).ifPresent(notes::add);
    t.lastError()
        .filter(e -> t.status() != TaskStatus.COMPLETED)
        .filter(e -> setbacks.stream().noneMatch(s -> s.startsWith(e)))
        .ifPresent(notes::add);
    // A rejecting verdict is already the task's error; any other is said here.
    t.fact(TaskFacts.REVIEW_VERDICT)
        .filter(v -> notes.stream().noneMatch(n -> n.startsWith("review: ")))
        .ifPresent(v -> notes.add("review: " + v.replace('_', ' ')));
    t.fact(TaskFacts.PUSH_NOTE).filter(p -> p.startsWith("push rejected")).ifPresent(notes::add);
    t.fact(TaskFacts.NO_CHANGE).ifPresent(why -> notes.add("no change"));
    t.fact(TaskFacts.COMMITS).ifPresent(n -> notes.add(n + (n == 1 ? " commit" : " commits")));
    return String.join("; ", notes);
  }

  /**
   * Per task, what its branch changed and what the agent said, so the work can be judged before the
   * branch is opened: diff stats and files, a flag when the work is not what the task's kind asks,
   * the agent's final message, the agent's own error when it did not start, and the tail of the
   * quality gate's output.
   */
  private void appendWork(StringBuilder md) {
    List<Task> described = tasks.stream().filter(MorningReport::hasWork).toList();
    if (described.isEmpty()) {
      return;
    }
    md.append("## What each task did\n\n");
    for (Task t : described) {
      md.append("**")
          .append(inline(t.title()))
          .append("** — ")
          .append(t.status().name().toLowerCase(Locale.ROOT))
          .append("\n\n");
      t.fact(TaskFacts.PIPELINE)
          .ifPresent(
              p -> {
                md.append("- pipeline ").append(inline(p)).append(", step by step:\n");
                PipelineProgress.steps(t)
                    .forEach(l -> md.append("  - ").append(inline(l)).append('\n'));
              });
      t.fact(TaskFacts.FILES_CHANGED).ifPresent(n -> md.append(changes(t, n)));
      t.fact(TaskFacts.NO_CHANGE)
          .ifPresent(
              why ->
                  md.append("- **Completed with no change:** ").append(inline(why)).append('\n'));
      t.fact(TaskFacts.KIND_MISMATCH)
          .ifPresent(m -> md.append("- **Check this:** ").append(inline(m)).append('\n'));
      t.fact(TaskFacts.FINAL_MESSAGE)
          .ifPresent(
              m -> md.append("- The agent's final message: ").append(inline(m)).append('\n'));
      t.fact(TaskFacts.AGENT_ERROR)
          .filter(e -> t.status() != TaskStatus.COMPLETED)
          .ifPresent(e -> md.append("- The agent's own error: ").append(inline(e)).append('\n'));
      t.fact(TaskFacts.REFUSED_PERMISSION)
          .filter(e -> t.status() != TaskStatus.COMPLETED)
          .ifPresent(
              r ->
                  md.append("- **Needs you:** the permission policy refused ")
                      .append(inline(r))
                      .append('\n'));
      t.fact(TaskFacts.GATE_OUTPUT)
          .ifPresent(
              o ->
                  md.append("- The quality gate's last output lines:\n\n```\n")
                      .append(o.replace("```", "` ` `"))
                      .append("\n```\n"));
      md.append('\n');
    }
  }

  private static String changes(Task t, long files) {
    String list =
        t.fact(TaskFacts.CHANGED_FILES)
            .map(
                f ->
                    ": "
                        + String.join(
                            ", ",
                            f.lines()
                                .map(l -> l.startsWith("… ") ? l : "`" + inline(l) + "`")
                                .toList()))
            .orElse("");
    return "- Changes: "
        + files
        + (files == 1 ? " file" : " files")
        + ", +"
        + t.fact(TaskFacts.INSERTIONS).orElse(0L)
        + " −"
        + t.fact(TaskFacts.DELETIONS).orElse(0L)
        + list
        + "\n";
  }

  private static boolean hasWork(Task t) {
    return t.fact(TaskFacts.FILES_CHANGED).isPresent()
        || t.fact(TaskFacts.NO_CHANGE).isPresent()
        || t.fact(TaskFacts.PIPELINE_STEPS).isPresent()
        || t.fact(TaskFacts.FINAL_MESSAGE).isPresent()
        || t.fact(TaskFacts.GATE_OUTPUT).isPresent()
        || ((t.fact(TaskFacts.AGENT_ERROR).isPresent()
                || t.fact(TaskFacts.REFUSED_PERMISSION).isPresent())
            && t.status() != TaskStatus.COMPLETED);
  }

  /** Text for one Markdown line: its line breaks as spaces, at most 500 characters. */
  private static String inline(String s) {
    String line = s.strip().replaceAll("\\s*\\R\\s*", " ");
    return line.length() <= 500 ? line : line.substring(0, 500) + "…";
  }

  /** The notes with a run of equal ones said once, with how often: an agent failing alike. */
  private static List<String> collapsed(List<String> notes) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < notes.size()) {
      int j = i;
      while (j + 1 < notes.size() && notes.get(j + 1).equals(notes.get(i))) {
        j++;
      }
      out.add(notes.get(i) + (j > i ? " (" + (j - i + 1) + " times)" : ""));
      i = j + 1;
    }
    return out;
  }

  /** The cost in US dollars the agents reported for the tasks. */
  public double totalCost() {
    return tasks.stream()
        .flatMap(t -> t.fact(TaskFacts.COST_USD).stream())
        .mapToDouble(d -> d)
        .sum();
  }

  /** A whole-number usage fact ({@code agent_seconds}, {@code tokens}) summed over the tasks. */
  public long total(TaskFact<Long> fact) {
    return tasks.stream().flatMap(t -> t.fact(fact).stream()).mapToLong(n -> n).sum();
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
