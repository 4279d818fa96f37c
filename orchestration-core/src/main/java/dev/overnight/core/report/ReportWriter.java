package dev.overnight.core.report;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.core.secrets.PrivateFiles;
import dev.overnight.core.secrets.Redactor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes the morning report of the last 24 hours to {@code <reports>/night-<date>.md} and {@code
 * .html} (the date the period ends, in the report's zone), and refreshes {@code latest.md} / {@code
 * latest.html}. Files are replaced atomically.
 *
 * <p>Secrets are redacted from everything the report shows (titles, prompts, errors, facts, cycle
 * notes), whenever and by whatever they were stored. The reports are private to their owner, as the
 * state folder is: they name the repository's work, branches and failures, which is the user's to
 * share, by copying a report or through the dashboard's token.
 *
 * <p>On a queue machines share, each machine's writer is {@linkplain #ofWorker for its worker}: its
 * report and alarms cover the tasks this machine ran, with one line for the rest of the fleet.
 * Otherwise the report covers every task of the queue.
 *
 * <p>Thread-safe; blocks on the queue and the disk.
 *
 * @since 0.1.0
 */
public final class ReportWriter {
  private static final Duration PERIOD = Duration.ofHours(24);

  /** Events that say why an attempt did not finish its task, or why it will not run. */
  private static final Set<TaskEventType> SETBACKS =
      EnumSet.of(
          TaskEventType.RETRY_SCHEDULED,
          TaskEventType.RELEASED,
          TaskEventType.LEASE_EXPIRED,
          TaskEventType.CANCELLED);

  private final String configId;
  private final TaskQueue queue;
  private final Optional<SchedulerStateStore> cycles;
  private final ZoneId zone;
  private final Path directory;
  private final Redactor redactor;
  private final int alarmAfterNights;
  // Set on a queue machines share: only this worker's tasks are reported.
  private final Optional<String> worker;
  private final WorkerRegistry fleet;

  /**
   * Creates a writer that redacts the secrets of this process's environment.
   *
   * @param configId the configuration (and scheduler) id
   * @param queue where tasks are read from
   * @param cycles where cycle history is read from, if kept
   * @param zone the zone times are shown in
   * @param directory the reports folder
   */
  public ReportWriter(
      String configId,
      TaskQueue queue,
      Optional<SchedulerStateStore> cycles,
      ZoneId zone,
      Path directory) {
    this(configId, queue, cycles, zone, directory, Redactor.forEnvironment(System.getenv()));
  }

  /**
   * Creates a writer.
   *
   * @param configId the configuration (and scheduler) id
   * @param queue where tasks are read from
   * @param cycles where cycle history is read from, if kept
   * @param zone the zone times are shown in
   * @param directory the reports folder
   * @param redactor what is taken out of every text the report shows
   */
  public ReportWriter(
      String configId,
      TaskQueue queue,
      Optional<SchedulerStateStore> cycles,
      ZoneId zone,
      Path directory,
      Redactor redactor) {
    this(configId, queue, cycles, zone, directory, redactor, Schedule.DEFAULT_ALARM_AFTER_NIGHTS);
  }

  /**
   * Creates a writer whose reports raise the night alarms after {@code alarmAfterNights} nights
   * (the schedule's {@code alarm_after_nights}).
   *
   * @param configId the configuration (and scheduler) id
   * @param queue where tasks are read from
   * @param cycles where cycle history is read from, if kept
   * @param zone the zone times are shown in, and nights are read in
   * @param directory the reports folder
   * @param redactor what is taken out of every text the report shows
   * @param alarmAfterNights K of the night alarms, at least 1
   */
  public ReportWriter(
      String configId,
      TaskQueue queue,
      Optional<SchedulerStateStore> cycles,
      ZoneId zone,
      Path directory,
      Redactor redactor,
      int alarmAfterNights) {
    this(
        configId,
        queue,
        cycles,
        zone,
        directory,
        redactor,
        alarmAfterNights,
        Optional.empty(),
        WorkerRegistry.none());
  }

  private ReportWriter(
      String configId,
      TaskQueue queue,
      Optional<SchedulerStateStore> cycles,
      ZoneId zone,
      Path directory,
      Redactor redactor,
      int alarmAfterNights,
      Optional<String> worker,
      WorkerRegistry fleet) {
    if (alarmAfterNights < 1) {
      throw new IllegalArgumentException("alarmAfterNights must be >= 1, was " + alarmAfterNights);
    }
    this.alarmAfterNights = alarmAfterNights;
    this.configId = configId;
    this.queue = queue;
    this.cycles = cycles;
    this.zone = zone;
    this.directory = directory;
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.worker = Objects.requireNonNull(worker, "worker");
    this.fleet = Objects.requireNonNull(fleet, "fleet");
  }

  /**
   * This writer, for one machine of a fleet sharing a queue: its reports and their night alarms
   * cover the tasks {@code workerId} ran ({@link TaskQueue#ranBy}), not the other machines', and
   * say in one line how many tasks each other machine recorded in {@code fleet} ran in the period.
   *
   * @param workerId the worker id this machine claims tasks under
   * @param fleet where the machines sharing the queue record themselves
   */
  public ReportWriter ofWorker(String workerId, WorkerRegistry fleet) {
    return new ReportWriter(
        configId,
        queue,
        cycles,
        zone,
        directory,
        redactor,
        alarmAfterNights,
        Optional.of(workerId),
        fleet);
  }

  /** The report of the 24 hours up to {@code now}. */
  public MorningReport build(Instant now) {
    return build(now, Optional.empty());
  }

  /**
   * The report of the 24 hours up to {@code now}, including {@code finishing}: the cycle whose end
   * the report is written at, which the cycle history does not hold yet (the history's own record
   * of it wins once it does).
   */
  public MorningReport build(Instant now, Optional<CycleRecord> finishing) {
    Instant from = now.minus(PERIOD);
    List<Task> tasks = new ArrayList<>();
    // The night alarms look further back than the report's day.
    List<Task> ofTheAlarmsNights = new ArrayList<>();
    Instant alarmsFrom = now.minus(PERIOD.multipliedBy(alarmAfterNights + 1L));
    if (worker.isPresent()) {
      ofTheAlarmsNights.addAll(queue.ranBy(worker.get(), alarmsFrom));
      ofTheAlarmsNights.stream()
          .filter(t -> !t.updatedAt().isBefore(from))
          .map(this::redacted)
          .forEach(tasks::add);
    } else {
      int offset = 0;
      while (true) {
        Page<Task> page = queue.list(TaskFilter.all().page(offset, TaskFilter.MAX_LIMIT));
        page.items().stream()
            .filter(t -> !t.updatedAt().isBefore(alarmsFrom))
            .forEach(ofTheAlarmsNights::add);
        page.items().stream()
            .filter(t -> !t.updatedAt().isBefore(from))
            .map(this::redacted)
            .forEach(tasks::add);
        if (!page.hasMore()) {
          break;
        }
        offset += page.items().size();
      }
    }
    Map<TaskId, List<String>> setbacks = new HashMap<>();
    for (Task t : tasks) {
      List<String> reasons =
          queue.events(t.id()).stream()
              .filter(e -> SETBACKS.contains(e.type()))
              .map(
                  e ->
                      e.type() == TaskEventType.CANCELLED
                          ? "cancelled by " + e.actor() + ": " + e.reason()
                          : e.reason())
              .map(redactor::redact)
              .toList();
      if (!reasons.isEmpty()) {
        setbacks.put(t.id(), reasons);
      }
    }
    List<CycleRecord> history =
        new ArrayList<>(cycles.map(s -> s.recentCycles(configId, 500)).orElse(List.of()));
    finishing
        .filter(f -> history.stream().noneMatch(c -> c.cycleId().equals(f.cycleId())))
        .ifPresent(history::add);
    List<CycleRecord> recent =
        history.stream().filter(c -> !c.plannedAt().isBefore(from)).map(this::redacted).toList();
    List<NightAlarm> alarms =
        cycles.isEmpty()
            ? List.of()
            : NightAlarms.of(history, ofTheAlarmsNights, zone, alarmAfterNights).stream()
                .map(a -> new NightAlarm(a.kind(), a.nights(), redactor.redact(a.message())))
                .toList();
    List<QuotaWindow> quota =
        cycles.map(SchedulerStateStore::quotaWindows).orElse(List.of()).stream()
            .filter(w -> w.start().isBefore(now) && w.resetsAt().map(from::isBefore).orElse(true))
            .toList();
    return new MorningReport(
        configId, from, now, zone, recent, tasks, setbacks, alarms, quota, restOfFleet(from));
  }

  /**
   * What each other machine of the fleet ran since {@code from}, by name (a machine set up again
   * under a new worker id counts once), leaving out those that ran nothing; none off a fleet.
   */
  private List<MachineCounts> restOfFleet(Instant from) {
    if (worker.isEmpty()) {
      return List.of();
    }
    Map<String, Map<TaskStatus, Long>> byName = new TreeMap<>();
    for (WorkerInfo w : fleet.workers()) {
      if (w.id().equals(worker.get())) {
        continue;
      }
      for (Task t : queue.ranBy(w.id(), from)) {
        byName
            .computeIfAbsent(w.name(), n -> new EnumMap<>(TaskStatus.class))
            .merge(t.status(), 1L, Long::sum);
      }
    }
    return byName.entrySet().stream()
        .map(e -> new MachineCounts(redactor.redact(e.getKey()), e.getValue()))
        .toList();
  }

  /**
   * Writes the report of the 24 hours up to {@code now}.
   *
   * @return the Markdown file written
   * @throws OrchestrationException if the files cannot be written
   */
  public Path write(Instant now) {
    return write(now, Optional.empty());
  }

  /**
   * Writes the report of the 24 hours up to {@code now}, including the {@code finishing} cycle (see
   * {@link #build(Instant, Optional)}).
   *
   * @return the Markdown file written
   * @throws OrchestrationException if the files cannot be written
   */
  public Path write(Instant now, Optional<CycleRecord> finishing) {
    MorningReport report = build(now, finishing);
    String name = "night-" + LocalDate.ofInstant(now, zone);
    try {
      PrivateFiles.createDirectories(directory);
      Path md = directory.resolve(name + ".md");
      replace(md, report.markdown());
      replace(directory.resolve(name + ".html"), report.html());
      replace(directory.resolve("latest.md"), report.markdown());
      replace(directory.resolve("latest.html"), report.html());
      return md;
    } catch (IOException e) {
      throw new OrchestrationException(
          "cannot write the report in " + directory + ": " + e.getMessage(), e);
    }
  }

  private static void replace(Path file, String text) throws IOException {
    PrivateFiles.writeString(file, text);
  }

  private Task redacted(Task t) {
    return t.toBuilder()
        .title(redactor.redact(t.title()))
        .prompt(redactor.redact(t.prompt()))
        .lastError(t.lastError().map(redactor::redact))
        .metadata(redactor.redactValues(t.metadata()))
        .build();
  }

  private CycleRecord redacted(CycleRecord c) {
    return new CycleRecord(
        c.cycleId(),
        c.schedulerId(),
        c.plannedAt(),
        c.startedAt(),
        c.finishedAt(),
        c.outcome(),
        c.skipReason(),
        c.notes().stream().map(redactor::redact).toList(),
        c.catchUp(),
        new WakeReceipt(
            c.receipt().verdict(), c.receipt().reason(), redactor.redact(c.receipt().detail())));
  }
}
