package dev.overnight.core.report;

import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Finds the {@link NightAlarm}s in a schedule's history: its wakes' receipts and its tasks.
 *
 * <p>A night is named by the evening it began: a wake or a task belongs to the local date twelve
 * hours before it, so 23:00 and 01:00 fall in one night. Only nights with at least one due wake
 * count (a schedule that runs on weekdays has no weekend nights). A catch-up counts in the night it
 * ran. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class NightAlarms {
  /** How far back a night's name is taken: a night that began at noon ends before noon. */
  private static final Duration EVENING = Duration.ofHours(12);

  /** How many cycles {@link #read} looks at: many nights' worth. */
  private static final int HISTORY = 500;

  private NightAlarms() {}

  /**
   * The alarms the history raises over its last {@code k} nights: at most one, {@link
   * NightAlarm.Kind#NEVER_FIRED} or {@link NightAlarm.Kind#NO_CHANGE}; none when fewer than {@code
   * k} nights are known.
   *
   * @param cycles the schedule's cycle history, in any order
   * @param tasks the tasks of those nights (others are ignored)
   * @param zone the zone nights are read in: the schedule's
   * @param k how many nights in a row raise an alarm, at least 1
   */
  public static List<NightAlarm> of(
      List<CycleRecord> cycles, List<Task> tasks, ZoneId zone, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    NavigableMap<LocalDate, List<CycleRecord>> byNight = new TreeMap<>();
    for (CycleRecord c : cycles) {
      byNight
          .computeIfAbsent(night(c.startedAt().orElse(c.plannedAt()), zone), n -> new ArrayList<>())
          .add(c);
    }
    if (byNight.size() < k) {
      return List.of();
    }
    List<LocalDate> last = new ArrayList<>(byNight.descendingKeySet()).subList(0, k);
    Collections.reverse(last);
    List<WakeReceipt> receipts =
        last.stream().flatMap(n -> byNight.get(n).stream()).map(CycleRecord::receipt).toList();
    String span = span(last);
    if (receipts.stream().noneMatch(WakeReceipt::isFired)) {
      return List.of(
          new NightAlarm(
              NightAlarm.Kind.NEVER_FIRED,
              last,
              "No wake fired on the last "
                  + k
                  + (k == 1 ? " night" : " nights")
                  + " it was due ("
                  + span
                  + "): "
                  + reasons(receipts)
                  + "."));
    }
    boolean firedEveryNight =
        last.stream().allMatch(n -> byNight.get(n).stream().anyMatch(c -> c.receipt().isFired()));
    Set<LocalDate> nights = Set.copyOf(last);
    List<Task> ofTheseNights =
        tasks.stream()
            .filter(t -> t.finishedAt().map(f -> nights.contains(night(f, zone))).orElse(false))
            .toList();
    if (firedEveryNight && ofTheseNights.stream().noneMatch(NightAlarms::changedSomething)) {
      long unchanged =
          ofTheseNights.stream().filter(t -> t.fact(TaskFacts.NO_CHANGE).isPresent()).count();
      long failed = ofTheseNights.stream().filter(t -> t.status() == TaskStatus.FAILED).count();
      return List.of(
          new NightAlarm(
              NightAlarm.Kind.NO_CHANGE,
              last,
              "The schedule fired on each of the last "
                  + k
                  + (k == 1 ? " night" : " nights")
                  + " ("
                  + span
                  + ") without producing a change: "
                  + (ofTheseNights.isEmpty()
                      ? "no task ended"
                      : unchanged
                          + " completed with no change, "
                          + failed
                          + " failed, of "
                          + ofTheseNights.size()
                          + (ofTheseNights.size() == 1 ? " task" : " tasks"))
                  + "."));
    }
    return List.of();
  }

  /**
   * The alarms of a schedule as a store keeps it: its last 500 cycles and the tasks that ended
   * since the oldest of them. Blocks on the store.
   */
  public static List<NightAlarm> read(
      TaskQueue queue, SchedulerStateStore history, String schedulerId, ZoneId zone, int k) {
    return read(queue, history, schedulerId, Optional.empty(), zone, k);
  }

  /**
   * The alarms of a schedule as a store keeps it, as {@link #read(TaskQueue, SchedulerStateStore,
   * String, ZoneId, int)} reads them, judged by the tasks {@code worker} ran ({@link
   * TaskQueue#ranBy}) when it is given: on a queue machines share, one machine's alarms are raised
   * by its own nights, not by what the others did. Blocks on the store.
   *
   * @param worker the worker id whose tasks count; empty: every task of the queue
   */
  public static List<NightAlarm> read(
      TaskQueue queue,
      SchedulerStateStore history,
      String schedulerId,
      Optional<String> worker,
      ZoneId zone,
      int k) {
    List<CycleRecord> cycles = history.recentCycles(schedulerId, HISTORY);
    if (cycles.isEmpty()) {
      return List.of();
    }
    Instant since =
        cycles.stream().map(CycleRecord::plannedAt).min(Instant::compareTo).orElseThrow();
    if (worker.isPresent()) {
      return of(cycles, queue.ranBy(worker.get(), since), zone, k);
    }
    List<Task> tasks = new ArrayList<>();
    int offset = 0;
    while (true) {
      Page<Task> page = queue.list(TaskFilter.all().page(offset, TaskFilter.MAX_LIMIT));
      page.items().stream().filter(t -> !t.updatedAt().isBefore(since)).forEach(tasks::add);
      if (!page.hasMore()) {
        return of(cycles, tasks, zone, k);
      }
      offset += page.items().size();
    }
  }

  /** The night an instant belongs to: the local date of the evening it began. */
  public static LocalDate night(Instant at, ZoneId zone) {
    return LocalDate.ofInstant(at.minus(EVENING), zone);
  }

  private static boolean changedSomething(Task t) {
    return t.status() == TaskStatus.COMPLETED
        && t.fact(TaskFacts.NO_CHANGE).isEmpty()
        && t.fact(TaskFacts.FILES_CHANGED).orElse(1L) > 0;
  }

  /** Why the wakes did not fire, most frequent first: "machine asleep ×2, no work". */
  private static String reasons(List<WakeReceipt> receipts) {
    Map<String, Long> counts =
        receipts.stream()
            .map(r -> r.reason().map(WakeReason::words).orElse("unknown"))
            .collect(Collectors.groupingBy(w -> w, TreeMap::new, Collectors.counting()));
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> e.getKey() + (e.getValue() > 1 ? " ×" + e.getValue() : ""))
        .collect(Collectors.joining(", "));
  }

  private static String span(List<LocalDate> nights) {
    return nights.size() == 1
        ? "the night of " + nights.get(0)
        : "the nights of " + nights.get(0) + " to " + nights.get(nights.size() - 1);
  }
}
