package dev.overnight.core.runtime;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.TimeSource;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.schedule.Scheduler;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.store.StoreLostException;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.schedule.ConstraintGate;
import dev.overnight.core.schedule.ConstraintGateResult;
import dev.overnight.core.schedule.ScheduleTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime's follow-ups in the day ({@code pr_automation.follow_ups.in_day}): rounds, planned by
 * {@link DayRounds}, in which the coordinator's day cycle watches the pull requests and runs
 * follow-ups only, whenever the window is closed, the schedule neither stopped nor paused, no other
 * cycle running and the constraints met.
 *
 * <p>Thread-safe: a round runs on the rounds' executor, and blocks until its follow-ups have ended.
 */
final class DayFollowUps {
  private static final Logger LOG = LoggerFactory.getLogger(DayFollowUps.class);

  private final OrchestrationConfig config;
  private final TimeSource time;
  private final ScheduleTimes window;
  private final Scheduler scheduler;
  private final ConstraintGate gate;
  private final KeepAwake keepAwake;
  private final AgentCoordinator coordinator;
  private final RunningCycles cycles;
  private final BooleanSupplier stopped;
  private final BooleanSupplier failed;
  private final Consumer<StoreLostException> storeLost;

  /**
   * Follow-ups in the day beside {@code scheduler}'s cycles: none once the runtime is {@code
   * stopped} or has {@code failed}; a lost store goes to {@code storeLost}, for the runtime to
   * stop.
   */
  DayFollowUps(
      OrchestrationConfig config,
      TimeSource time,
      Scheduler scheduler,
      ConstraintGate gate,
      KeepAwake keepAwake,
      AgentCoordinator coordinator,
      RunningCycles cycles,
      BooleanSupplier stopped,
      BooleanSupplier failed,
      Consumer<StoreLostException> storeLost) {
    this.config = config;
    this.time = time;
    this.window = ScheduleTimes.of(config.schedule());
    this.scheduler = scheduler;
    this.gate = gate;
    this.keepAwake = keepAwake;
    this.coordinator = coordinator;
    this.cycles = cycles;
    this.stopped = stopped;
    this.failed = failed;
    this.storeLost = storeLost;
  }

  /**
   * The rounds, on the cycle executor when one was given (a direct one keeps a day on virtual time
   * deterministic), else on a daemon thread of their own. What they need closed goes onto {@code
   * owned}.
   */
  DayRounds rounds(Optional<Executor> given, Deque<AutoCloseable> owned) {
    Executor executor =
        given.orElseGet(
            () -> {
              ExecutorService own =
                  Executors.newSingleThreadExecutor(
                      r -> {
                        Thread t = new Thread(r, "overnight-day-follow-ups");
                        t.setDaemon(true);
                        return t;
                      });
              owned.push(own::shutdown);
              return own;
            });
    DayRounds rounds =
        new DayRounds(time, config.prAutomation().followUps().dayInterval(), executor, this::round);
    owned.push(rounds);
    return rounds;
  }

  /**
   * One round of follow-ups in the day. Its deadline is the window's start: what still runs then is
   * cancelled, so the night's first cycle shares the machine with it for the cancel grace at most.
   * Not recorded in the cycle history: a round every quarter of an hour would bury the nights
   * there.
   */
  void round() {
    Instant now = time.instant();
    if (stopped.getAsBoolean() || failed.getAsBoolean() || window.isWindowOpen(now)) {
      return;
    }
    SchedulerState state = scheduler.state();
    if (state instanceof SchedulerState.Paused || state instanceof SchedulerState.Stopped) {
      LOG.debug("No follow-ups in the day: the scheduler is {}", state);
      return;
    }
    if (!cycles.beganAlone()) {
      return;
    }
    try {
      ConstraintGateResult constraints = gate.check();
      if (!constraints.satisfied()) {
        LOG.info("No follow-ups in the day now: {}", constraints.reason());
        return;
      }
      Instant budgetEnd = now.plus(Duration.ofSeconds(config.timeBudgetSec()));
      Instant opens = window.nextWindowStart(now);
      OneOffCycle cycle =
          new OneOffCycle(
              "day-" + UUID.randomUUID().toString().substring(0, 8),
              now,
              opens.isBefore(budgetEnd) ? opens : budgetEnd);
      cycles.add(cycle);
      try (KeepAwake.Handle awake = keepAwake.acquire("Overnight follows up pull requests")) {
        if (stopped.getAsBoolean()) {
          cycle.cancel();
        }
        coordinator.runDayCycle(cycle, !budgetEnd.isBefore(opens));
      } catch (StoreLostException e) {
        storeLost.accept(e);
      } catch (RuntimeException e) {
        LOG.warn("A round of follow-ups in the day failed: {}", e.toString(), e);
      } finally {
        cycles.remove(cycle);
      }
    } finally {
      cycles.ended();
    }
  }
}
