package dev.overnight.core.schedule;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.Subscription;
import dev.overnight.api.TimeSource;
import dev.overnight.api.WakeScheduler;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.schedule.CycleRunner;
import dev.overnight.api.schedule.Scheduler;
import dev.overnight.api.schedule.SchedulerListener;
import dev.overnight.api.schedule.SchedulerMetrics;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.time.SystemTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Scheduler}: wakes at each cron occurrence inside the window (plus jitter), asks the
 * constraint gate, and runs one cycle at a time on a thread of its own.
 *
 * <p><b>Waking.</b> The next wake is one timer on the {@link TimeSource}; nothing polls. Timer
 * actions only update state and hand work to the cycle executor, so a long cycle never delays a
 * timer. With a manual time source and a direct executor ({@code Runnable::run}) everything runs on
 * the thread that advances time, which makes a whole night deterministic.
 *
 * <p><b>Missed runs.</b> An occurrence is missed when the process was down ({@link
 * SkipReason#PROCESS_DOWN}, found from the persisted snapshot at start), when the wall clock passed
 * it by more than the late tolerance ({@link SkipReason#MACHINE_ASLEEP}), when a cycle was still
 * running ({@link SkipReason#CYCLE_STILL_RUNNING}), or when constraints held it back until its
 * window closed or the next occurrence came ({@link SkipReason#CONSTRAINTS_UNSATISFIED}). With
 * {@code skip} it is dropped. With {@code run_once_at_next_opportunity} one catch-up cycle is owed,
 * however many were missed; it runs as soon as no cycle runs, the window is open and the
 * constraints allow. When that moment is the next occurrence itself, that one cycle serves both.
 * Occurrences skipped while paused by the user, or because jitter would start them after the
 * window, are not owed.
 *
 * <p><b>Constraints.</b> Unsatisfied constraints hold the occurrence and pause the scheduler; they
 * are checked again every {@code recheck_interval} until they pass (the cycle then runs), the
 * window closes or the next occurrence comes.
 *
 * <p><b>System wakes.</b> With {@code schedule.wake} enabled and a {@link WakeScheduler} given, one
 * system wake is kept {@code lead_sec} before the next planned wake, so a sleeping machine wakes
 * for it; it is replaced when the plan changes and cancelled on {@link #stop()}.
 *
 * <p><b>Keep-awake</b> is held from the start of each cycle to its end, and released on {@link
 * #stop()}, on an exception and by a shutdown hook.
 *
 * <p>Thread-safe. Listeners are called in order while the scheduler's lock is held: they must be
 * quick and must not wait for another thread that uses the scheduler.
 *
 * @since 0.1.0
 */
public final class DefaultScheduler implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultScheduler.class);

  /** Default for how late a wake may be before its occurrence counts as missed. */
  public static final Duration DEFAULT_LATE_TOLERANCE = Duration.ofMinutes(2);

  private final String id;
  private final TimeSource time;
  private final SchedulerJournal journal;
  private final List<AutoCloseable> closedOnStop;
  private final List<AutoCloseable> closedWhenIdle;
  private final AtomicBoolean resourcesClosed = new AtomicBoolean();

  private final ReentrantLock lock = new ReentrantLock();
  private final Agenda agenda; // guarded by lock
  private final CycleWorker worker; // shares lock

  private DefaultScheduler(SchedulerParts parts) {
    this.id = parts.id();
    this.time = parts.time();
    this.journal = new SchedulerJournal(id, parts.store(), parts.listeners());
    this.closedOnStop = parts.closedOnStop();
    this.closedWhenIdle = parts.closedWhenIdle();
    this.agenda = new Agenda(parts, journal, this::onWake, this::onRetry);
    this.worker = new CycleWorker(parts, lock, agenda, journal, this::closeWhenIdleResources);
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduler

  @Override
  public void start() {
    boolean launch =
        locked(
            () -> {
              if (agenda.started() || agenda.stopped()) {
                return false;
              }
              Instant now = time.instant();
              agenda.start(now);
              return worker.claim(now);
            });
    if (launch) {
      worker.launch(null);
    }
  }

  @Override
  public void stop() {
    Optional<RunningCycle> toCancel;
    boolean closeNow;
    lock.lock();
    try {
      if (agenda.stopped()) {
        return;
      }
      toCancel = agenda.stop(time.instant());
      closeNow = !worker.active();
      LOG.info("Scheduler {} stopped{}", id, toCancel.map(c -> "; cancelling " + c).orElse(""));
    } finally {
      lock.unlock();
    }
    closeAll(closedOnStop);
    toCancel.ifPresent(RunningCycle::cancel);
    if (closeNow) {
      closeWhenIdleResources();
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public SchedulerState state() {
    return locked(agenda::state);
  }

  @Override
  public SchedulerMetrics metrics() {
    return locked(() -> journal.metrics(agenda.state(), time.instant()));
  }

  @Override
  public Optional<Instant> nextWake() {
    return locked(agenda::nextWake);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Checks the constraints on the calling thread (blocking for at most the check timeout) and
   * runs the cycle on the cycle executor. Works before {@link #start()} and while paused by a user;
   * an occurrence held back by constraints, or an owed catch-up, is served by this cycle.
   */
  @Override
  public boolean runNow() {
    return worker.runNow();
  }

  @Override
  public void pause(String reason) {
    Objects.requireNonNull(reason, "reason");
    lock.lock();
    try {
      if (!agenda.stopped()) {
        agenda.pause(reason, time.instant());
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void resume() {
    boolean launch =
        locked(
            () -> {
              Instant now = time.instant();
              return !agenda.stopped() && agenda.resume(now) && worker.claim(now);
            });
    if (launch) {
      worker.launch(null);
    }
  }

  @Override
  public Subscription subscribe(SchedulerListener listener) {
    return journal.subscribe(Objects.requireNonNull(listener, "listener"));
  }

  // ---------------------------------------------------------------------------------------------
  // Timers

  private void onWake(WakePlan fired) {
    boolean launch =
        locked(
            () -> {
              Instant now = time.instant();
              if (!agenda.wake(fired, now)) {
                return false;
              }
              boolean claimed = worker.claim(now);
              // A claimed worker saves the state before its cycle starts: keep one store write,
              // not two, between the wake and the cycle.
              agenda.settle(now, !claimed);
              return claimed;
            });
    if (launch) {
      worker.launch(null);
    }
  }

  private void onRetry() {
    boolean launch =
        locked(
            () -> {
              if (agenda.stopped()) {
                return false;
              }
              Instant now = time.instant();
              agenda.retry(now);
              return worker.claim(now);
            });
    if (launch) {
      worker.launch(null);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  private void closeWhenIdleResources() {
    if (resourcesClosed.compareAndSet(false, true)) {
      closeAll(closedWhenIdle);
    }
  }

  private void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Scheduler {} could not close {}", id, resource, e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Builds a {@link DefaultScheduler}. Not thread-safe. Only the schedule (or a config) and the
   * cycle runner are required; everything else has a default, named on its setter. Setting a value
   * twice keeps the last one; settings that would discard one another (a config and the schedule it
   * already holds, a ready gate and providers for building one) are refused by {@link #build()}.
   */
  public static final class Builder {
    // Read by SchedulerParts.assemble, which checks them and applies the defaults: null is unset.
    OrchestrationConfig config;
    String id;
    Schedule schedule;
    Constraints constraints;
    Duration timeBudget;
    CycleRunner runner;
    TimeSource time;
    RandomGenerator random;
    KeepAwake keepAwake;
    WakeScheduler wakeScheduler;
    SchedulerStateStore store;
    ConstraintGate gate;
    final List<ConstraintCheckerProvider> providers = new ArrayList<>();
    ProviderLoader providerLoader;
    Executor cycleExecutor;
    Duration lateTolerance;
    boolean shutdownHook = true;
    final List<SchedulerListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Takes the id, schedule, constraints and time budget from a configuration; not combinable with
     * {@link #id}, {@link #schedule}, {@link #constraints} or {@link #timeBudget}.
     */
    public Builder config(OrchestrationConfig value) {
      config = Objects.requireNonNull(value, "config");
      return this;
    }

    /** The scheduler's id: names its state in the store and its threads; {@code "default"}. */
    public Builder id(String value) {
      id = Objects.requireNonNull(value, "id");
      return this;
    }

    /** When cycles run. Required unless {@link #config} is given. */
    public Builder schedule(Schedule value) {
      schedule = Objects.requireNonNull(value, "schedule");
      return this;
    }

    /**
     * What the machine must satisfy before a cycle, and how often to check again while it does not;
     * none by default.
     */
    public Builder constraints(Constraints value) {
      constraints = Objects.requireNonNull(value, "constraints");
      return this;
    }

    /** How long a cycle may run (its context's deadline); 30 minutes by default. */
    public Builder timeBudget(Duration value) {
      timeBudget = Objects.requireNonNull(value, "timeBudget");
      return this;
    }

    /** The work each cycle does. Required. */
    public Builder cycleRunner(CycleRunner value) {
      runner = Objects.requireNonNull(value, "cycleRunner");
      return this;
    }

    /**
     * The clock and timer. By default a {@link SystemTimeSource} of the scheduler's own, closed
     * when it stops.
     */
    public Builder timeSource(TimeSource value) {
      time = Objects.requireNonNull(value, "timeSource");
      return this;
    }

    /** Where jitter comes from; {@link RandomGenerator#getDefault()} by default. */
    public Builder random(RandomGenerator value) {
      random = Objects.requireNonNull(value, "random");
      return this;
    }

    /** What keeps the machine awake during a cycle; {@link KeepAwake#noop()} by default. */
    public Builder keepAwake(KeepAwake value) {
      keepAwake = Objects.requireNonNull(value, "keepAwake");
      return this;
    }

    /**
     * Wakes the machine from sleep ahead of each planned wake through {@code value}, when the
     * schedule's {@code wake.enabled} is on: one system wake {@code wake.lead_sec} before the next
     * planned wake, replaced when the plan changes and cancelled on {@link #stop()}.
     */
    public Builder wakeScheduler(WakeScheduler value) {
      wakeScheduler = Objects.requireNonNull(value, "wakeScheduler");
      return this;
    }

    /**
     * Where the snapshot and cycle history are kept. By default a {@link
     * TransientSchedulerStateStore}: in this process only, which does not survive a restart.
     */
    public Builder stateStore(SchedulerStateStore value) {
      store = Objects.requireNonNull(value, "stateStore");
      return this;
    }

    /**
     * A ready gate, instead of one built from the constraints; the caller closes it. For control
     * over where checkers run. The re-check interval still comes from {@link #constraints}. Not
     * combinable with {@link #constraintProvider} or {@link #providerLoader}, which only serve to
     * build a gate: give them to the gate's builder.
     */
    public Builder constraintGate(ConstraintGate value) {
      gate = Objects.requireNonNull(value, "constraintGate");
      return this;
    }

    /** Registers a constraint checker provider; it wins over discovered ones of its name. */
    public Builder constraintProvider(ConstraintCheckerProvider value) {
      providers.add(Objects.requireNonNull(value, "constraintProvider"));
      return this;
    }

    /** Where constraint checker providers are discovered; {@link ProviderLoader#standard()}. */
    public Builder providerLoader(ProviderLoader value) {
      providerLoader = Objects.requireNonNull(value, "providerLoader");
      return this;
    }

    /**
     * Where cycles (and the constraint checks before them) run. By default one daemon thread of the
     * scheduler's own. {@code Runnable::run} runs them on the thread that fires the timer: with a
     * manual time source, fully deterministic.
     */
    public Builder cycleExecutor(Executor value) {
      cycleExecutor = Objects.requireNonNull(value, "cycleExecutor");
      return this;
    }

    /**
     * How late a wake may be before its occurrence counts as missed (the machine slept through it);
     * 2 minutes by default, more than the system time source's wake-up re-check.
     */
    public Builder lateTolerance(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("lateTolerance < 0");
      }
      lateTolerance = value;
      return this;
    }

    /** Whether to release keep-awake from a JVM shutdown hook; on by default. */
    public Builder shutdownHook(boolean value) {
      shutdownHook = value;
      return this;
    }

    /** Subscribes a listener from the start, so it sees the first events. */
    public Builder listener(SchedulerListener value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    /**
     * Builds the scheduler; it does nothing until {@link DefaultScheduler#start()}.
     *
     * @throws NullPointerException if the schedule (or config) or the cycle runner is missing
     * @throws IllegalStateException if settings conflict (the message names each pair)
     * @throws ConfigException if the cron expression is invalid or never fires inside the window,
     *     or a configured constraint has no provider
     */
    public DefaultScheduler build() {
      return new DefaultScheduler(SchedulerParts.assemble(this));
    }
  }
}
