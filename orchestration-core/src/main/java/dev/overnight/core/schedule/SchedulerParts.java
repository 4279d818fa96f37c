package dev.overnight.core.schedule;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.TimeSource;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.schedule.CycleRunner;
import dev.overnight.api.schedule.SchedulerListener;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.time.Durations;
import dev.overnight.core.time.SystemTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link DefaultScheduler} is made of: its builder's settings checked, defaults applied, and
 * the resources it owns created.
 *
 * @param runner the cycle runner, wrapped to keep the machine awake
 * @param systemWakes keeps a system wake ahead of the next planned wake, when wakes are on
 * @param closedOnStop closed as soon as the scheduler stops (the keep-awake hold, the system wake)
 * @param closedWhenIdle owned by the scheduler, closed once it has stopped and no cycle runs
 */
record SchedulerParts(
    String id,
    ScheduleTimes times,
    MissedRuns missedRuns,
    long jitterMs,
    Duration timeBudget,
    Duration recheckInterval,
    CycleRunner runner,
    TimeSource time,
    RandomGenerator random,
    SchedulerStateStore store,
    ConstraintGate gate,
    Executor cycleExecutor,
    List<SchedulerListener> listeners,
    SystemWakes systemWakes,
    List<AutoCloseable> closedOnStop,
    List<AutoCloseable> closedWhenIdle) {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerParts.class);

  /** The id of a scheduler given neither an id nor a config. */
  static final String DEFAULT_ID = "default";

  /** The time budget of a scheduler given neither a budget nor a config. */
  static final Duration DEFAULT_TIME_BUDGET =
      Duration.ofSeconds(OrchestrationConfig.DEFAULT_TIME_BUDGET_SEC);

  /**
   * Checks {@code b}'s settings and builds the parts; closes what it created if that fails.
   *
   * @throws NullPointerException if the schedule (or config) or the cycle runner is missing
   * @throws IllegalStateException naming every pair of settings that contradict each other
   * @throws ConfigException if the cron expression is invalid or never fires inside the window, or
   *     a configured constraint has no provider
   */
  static SchedulerParts assemble(DefaultScheduler.Builder b) {
    rejectConflicts(b);
    OrchestrationConfig config = b.config;
    Schedule schedule = config != null ? config.schedule() : b.schedule;
    Objects.requireNonNull(schedule, "schedule (or config) is required");
    Objects.requireNonNull(b.runner, "cycleRunner is required");
    String id = config != null ? config.id() : Objects.requireNonNullElse(b.id, DEFAULT_ID);
    Constraints constraints =
        config != null
            ? config.constraints()
            : Objects.requireNonNullElse(b.constraints, Constraints.none());
    Duration timeBudget =
        config != null
            ? Duration.ofSeconds(config.timeBudgetSec())
            : Objects.requireNonNullElse(b.timeBudget, DEFAULT_TIME_BUDGET);
    ScheduleTimes times = ScheduleTimes.of(schedule);

    List<AutoCloseable> owned = new ArrayList<>();
    try {
      TimeSource time = b.time != null ? b.time : own(owned, SystemTimeSource.create());
      Occurrence first = firstOccurrence(schedule, times, time.instant());
      warnIfJitterSpansOccurrences(id, schedule.jitterMs(), times, first);
      ConstraintGate gate = b.gate != null ? b.gate : own(owned, gate(b, constraints, time));
      Executor cycleExecutor = b.cycleExecutor != null ? b.cycleExecutor : cycleThread(id, owned);
      SystemWakes systemWakes =
          schedule.wake().enabled() && b.wakeScheduler != null
              ? new SystemWakes(
                  id,
                  Optional.of(b.wakeScheduler),
                  schedule.wake().lead(),
                  time,
                  constraints.enabledCheckers().contains("plugged_in"))
              : SystemWakes.none(id, time);
      KeepAwakeCycleRunner runner =
          new KeepAwakeCycleRunner(
              b.runner,
              Objects.requireNonNullElse(b.keepAwake, KeepAwake.noop()),
              id,
              b.shutdownHook);
      return new SchedulerParts(
          id,
          times,
          new MissedRuns(
              schedule.onMissed(),
              Objects.requireNonNullElse(b.lateTolerance, DefaultScheduler.DEFAULT_LATE_TOLERANCE)),
          schedule.jitterMs(),
          timeBudget,
          constraints.recheckInterval(),
          runner,
          time,
          b.random != null ? b.random : RandomGenerator.getDefault(),
          b.store != null ? b.store : new TransientSchedulerStateStore(),
          gate,
          cycleExecutor,
          List.copyOf(b.listeners),
          systemWakes,
          List.of(runner, systemWakes),
          List.copyOf(owned));
    } catch (RuntimeException e) {
      for (AutoCloseable resource : owned) {
        try {
          resource.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** Settings of which one would silently discard the other. */
  private static void rejectConflicts(DefaultScheduler.Builder b) {
    List<String> conflicts = new ArrayList<>();
    if (b.gate != null) {
      if (!b.providers.isEmpty()) {
        conflicts.add(
            "constraintGate(...) and constraintProvider(...): a ready gate has its checkers"
                + " already; register the provider on its ConstraintGate.Builder");
      }
      if (b.providerLoader != null) {
        conflicts.add(
            "constraintGate(...) and providerLoader(...): a ready gate discovers nothing; give the"
                + " loader to its ConstraintGate.Builder");
      }
    }
    if (b.config != null) {
      String bothSet = "config(...) and %s(...): the config sets the %s already";
      if (b.id != null) {
        conflicts.add(bothSet.formatted("id", "id"));
      }
      if (b.schedule != null) {
        conflicts.add(bothSet.formatted("schedule", "schedule"));
      }
      if (b.constraints != null) {
        conflicts.add(bothSet.formatted("constraints", "constraints"));
      }
      if (b.timeBudget != null) {
        conflicts.add(bothSet.formatted("timeBudget", "time budget"));
      }
    }
    if (!conflicts.isEmpty()) {
      throw new IllegalStateException(
          "Conflicting scheduler settings, set one of each pair: " + String.join("; ", conflicts));
    }
  }

  /** The gate built from the constraints, with the builder's providers and loader. */
  private static ConstraintGate gate(
      DefaultScheduler.Builder b, Constraints constraints, TimeSource time) {
    return ConstraintGate.builder(constraints)
        .register(b.providers)
        .providerLoader(Objects.requireNonNullElse(b.providerLoader, ProviderLoader.standard()))
        .timeSource(time)
        .build();
  }

  /** The first occurrence after now; a schedule that never fires is a config error. */
  private static Occurrence firstOccurrence(Schedule schedule, ScheduleTimes times, Instant now) {
    return times
        .next(now)
        .orElseThrow(
            () ->
                new ConfigException(
                    null,
                    List.of(
                        new ConfigProblem(
                            "/schedule/expression",
                            "'"
                                + schedule.expression()
                                + "' never fires inside the window "
                                + times.windowStart().map(Object::toString).orElse("")
                                + "-"
                                + times.windowEnd().map(Object::toString).orElse("")))));
  }

  private static void warnIfJitterSpansOccurrences(
      String id, long jitterMs, ScheduleTimes times, Occurrence first) {
    if (jitterMs <= 0) {
      return;
    }
    times
        .next(first.at())
        .map(second -> Duration.between(first.at(), second.at()))
        .filter(gap -> gap.toMillis() <= jitterMs)
        .ifPresent(
            gap ->
                LOG.warn(
                    "Scheduler {}: a jitter of up to {} ms is not shorter than the {} between"
                        + " occurrences; a late wake can overtake the next occurrence",
                    id,
                    jitterMs,
                    Durations.human(gap)));
  }

  /** The scheduler's own cycle thread, a daemon, shut down with the scheduler. */
  private static Executor cycleThread(String id, List<AutoCloseable> owned) {
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "overnight-cycle-" + id);
              t.setDaemon(true);
              return t;
            });
    owned.add(executor::shutdown);
    return executor;
  }

  private static <T extends AutoCloseable> T own(List<AutoCloseable> owned, T resource) {
    owned.add(resource);
    return resource;
  }
}
