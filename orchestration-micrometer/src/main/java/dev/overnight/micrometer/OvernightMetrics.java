package dev.overnight.micrometer;

import dev.overnight.api.Subscription;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.coordinator.AttemptObserver;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.GateResult;
import dev.overnight.core.hub.SessionStream;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.RuntimeInstrumentation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Overnight's meters for one runtime: cycles run and skipped, task attempts by outcome and agent,
 * the queue's depth by status, how late the scheduler woke, agents' turns, tokens and cost, quality
 * gate runs, and the session stream's subscribers and drops. The module's README lists every meter
 * with its tags. Every meter carries the tag {@code config} (the configuration's id) and the tags
 * given here.
 *
 * <p>Use it as any {@link MeterBinder}: {@code new OvernightMetrics(runtime).bindTo(registry)}; or
 * give {@link #instrumentation(MeterRegistry)} to {@link OvernightRuntime.Builder#instrumentation},
 * which binds it when the runtime is built and closes it when the runtime shuts down. With this
 * module on the class path and no registry given, a runtime records into Micrometer's {@linkplain
 * io.micrometer.core.instrument.Metrics#globalRegistry global registry}.
 *
 * <p>Durations are measured on the runtime's own clock, so they are virtual under virtual time. The
 * queue gauges ask the queue when the registry reads them (a count query per status); a queue that
 * fails to answer reads as {@code NaN}.
 *
 * <p>Thread-safe. {@link #bindTo} binds to one registry; {@link #close()} stops recording and
 * removes the meters it registered from that registry.
 *
 * @since 0.1.0
 */
public final class OvernightMetrics implements MeterBinder, AutoCloseable {
  /** The name under which it instruments a runtime; see {@link RuntimeInstrumentation#name()}. */
  public static final String INSTRUMENTATION_NAME = "micrometer";

  private final OvernightRuntime runtime;
  private final Tags tags;
  private final AtomicReference<MeterRegistry> registry = new AtomicReference<>();
  private final Set<Meter> meters = ConcurrentHashMap.newKeySet();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final Map<String, Instant> cycleStarts = new ConcurrentHashMap<>();
  // Set by close(): an attempt still running then records nothing, rather than registering its
  // meters again after they were removed.
  private volatile boolean closed;

  /** Meters for {@code runtime}, tagged with its configuration's id. */
  public OvernightMetrics(OvernightRuntime runtime) {
    this(runtime, Tags.empty());
  }

  /** Meters for {@code runtime}, tagged with its configuration's id and {@code extraTags}. */
  public OvernightMetrics(OvernightRuntime runtime, Iterable<Tag> extraTags) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.tags = Tags.of("config", runtime.config().id()).and(extraTags);
  }

  /**
   * What records a runtime's meters into {@code registry}, for {@link
   * OvernightRuntime.Builder#instrumentation}; it replaces the one this module discovers.
   */
  public static RuntimeInstrumentation instrumentation(MeterRegistry registry) {
    return instrumentation(registry, Tags.empty());
  }

  /** {@link #instrumentation(MeterRegistry)} with tags added to every meter. */
  public static RuntimeInstrumentation instrumentation(
      MeterRegistry registry, Iterable<Tag> extraTags) {
    Objects.requireNonNull(registry, "registry");
    Tags copied = Tags.of(extraTags);
    return new RuntimeInstrumentation() {
      @Override
      public String name() {
        return INSTRUMENTATION_NAME;
      }

      @Override
      public Subscription attach(OvernightRuntime runtime) {
        OvernightMetrics metrics = new OvernightMetrics(runtime, copied);
        metrics.bindTo(registry);
        return metrics::close;
      }

      @Override
      public String toString() {
        return "Overnight metrics into " + registry;
      }
    };
  }

  /**
   * Registers the meters and starts recording.
   *
   * @throws IllegalStateException if it is bound already
   */
  @Override
  public void bindTo(MeterRegistry target) {
    Objects.requireNonNull(target, "registry");
    if (!registry.compareAndSet(null, target)) {
      throw new IllegalStateException("these Overnight metrics are bound to a registry already");
    }
    for (SkipReason reason : SkipReason.values()) {
      skipped(reason);
    }
    TaskQueue queue = runtime.taskQueue();
    for (TaskStatus status : TaskStatus.values()) {
      keep(
          Gauge.builder("overnight.queue.tasks", queue, q -> depth(q, status))
              .description("Tasks in the queue, by status")
              .baseUnit("tasks")
              .tags(tags)
              .tag("status", status.name().toLowerCase(Locale.ROOT))
              .register(target));
    }
    SessionStream sessions = runtime.sessions();
    keep(
        Gauge.builder("overnight.sessions.subscribers", sessions, SessionStream::subscriberCount)
            .description("Open subscriptions to the live stream of agent sessions")
            .baseUnit("subscribers")
            .tags(tags)
            .register(target));
    keep(
        FunctionCounter.builder("overnight.sessions.dropped", sessions, SessionStream::droppedCount)
            .description("Session updates dropped for subscribers that fell behind")
            .baseUnit("updates")
            .tags(tags)
            .register(target));
    synchronized (subscriptions) {
      subscriptions.add(runtime.subscribe(this::onScheduler));
      subscriptions.add(runtime.subscribe(this::onCoordinator));
      subscriptions.add(runtime.observe(start -> new Attempt(start.agentId())));
    }
  }

  /** Stops recording and removes the registered meters. Idempotent. */
  @Override
  public void close() {
    closed = true;
    synchronized (subscriptions) {
      subscriptions.forEach(Subscription::close);
      subscriptions.clear();
    }
    MeterRegistry target = registry.get();
    if (target != null) {
      meters.forEach(target::remove);
      meters.clear();
    }
  }

  private void onScheduler(SchedulerEvent event) {
    if (event instanceof SchedulerEvent.CycleSkipped s) {
      skipped(s.reason()).increment();
    } else if (event instanceof SchedulerEvent.CycleStarted s) {
      Duration late = Duration.between(s.plannedAt(), s.at());
      keep(Timer.builder("overnight.scheduler.wake.lateness")
              .description("How long after its planned time a cycle started (jitter included)")
              .tags(tags)
              .tag("catch.up", Boolean.toString(s.catchUp()))
              .register(target()))
          .record(late.isNegative() ? Duration.ZERO : late);
    }
  }

  private void onCoordinator(CoordinatorEvent event) {
    if (event instanceof CoordinatorEvent.CycleBegan b) {
      cycleStarts.put(b.cycleId(), b.at());
    } else if (event instanceof CoordinatorEvent.CycleEnded e) {
      Instant began = cycleStarts.remove(e.cycleId());
      if (began != null) {
        keep(Timer.builder("overnight.cycles")
                .description("Cycles run, and how long each took")
                .tags(tags)
                .register(target()))
            .record(Duration.between(began, e.at()));
      }
    }
  }

  /** Records one attempt's turns, gate runs and end. */
  private final class Attempt implements AttemptObserver.Attempt {
    private final String agent;

    Attempt(String agent) {
      this.agent = agent;
    }

    @Override
    public AttemptObserver.TurnWatch turnStarted(AttemptObserver.Turn turn) {
      return new AttemptObserver.TurnWatch() {
        @Override
        public void ended(Instant at, AgentOutcome outcome) {
          record(at, outcome.stopReason().wireName());
        }

        @Override
        public void failed(Instant at, Throwable error) {
          record(at, "error");
        }

        private void record(Instant at, String stopReason) {
          keep(Timer.builder("overnight.agent.turns")
                  .description("Prompt turns of agents, and how long each took")
                  .tags(tags)
                  .tag("agent", agent)
                  .tag("stop.reason", stopReason)
                  .tag("follow.up", Boolean.toString(turn.followUp()))
                  .register(target()))
              .record(Duration.between(turn.at(), at));
        }
      };
    }

    @Override
    public void gateChecked(Instant at, GateResult result) {
      keep(Timer.builder("overnight.quality.gate")
              .description("Runs of the quality gate's verify command, and how long each took")
              .tags(tags)
              .tag("result", result.passed() ? "passed" : "failed")
              .register(target()))
          .record(result.duration());
    }

    @Override
    public void ended(AttemptObserver.End end) {
      keep(Timer.builder("overnight.task.attempts")
              .description("Attempts at tasks, by how they ended, and how long each took")
              .tags(tags)
              .tag("agent", agent)
              .tag("outcome", end.outcome().key())
              .register(target()))
          .record(end.duration());
      Usage usage = end.usage();
      tokens("input", usage.inputTokens());
      tokens("output", usage.outputTokens());
      tokens("cache.read", usage.cachedReadTokens());
      tokens("cache.write", usage.cachedWriteTokens());
      usage
          .costUsd()
          .ifPresent(
              cost ->
                  keep(Counter.builder("overnight.agent.cost")
                          .description("What agents reported their work cost")
                          .baseUnit("usd")
                          .tags(tags)
                          .tag("agent", agent)
                          .register(target()))
                      .increment(cost));
    }

    private void tokens(String type, long count) {
      Counter counter =
          keep(
              Counter.builder("overnight.agent.tokens")
                  .description("Tokens agents reported using")
                  .baseUnit("tokens")
                  .tags(tags)
                  .tag("agent", agent)
                  .tag("type", type)
                  .register(target()));
      if (count > 0) {
        counter.increment(count);
      }
    }
  }

  private Counter skipped(SkipReason reason) {
    return keep(
        Counter.builder("overnight.cycles.skipped")
            .description("Planned cycles that did not run, by why")
            .baseUnit("cycles")
            .tags(tags)
            .tag("reason", reason.key())
            .register(target()));
  }

  private static double depth(TaskQueue queue, TaskStatus status) {
    try {
      return queue.list(TaskFilter.withStatus(status).page(0, 1)).total();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private MeterRegistry target() {
    return registry.get();
  }

  /** Keeps a meter to remove on close; a meter registered after close is removed at once. */
  private <M extends Meter> M keep(M meter) {
    meters.add(meter);
    if (closed) {
      target().remove(meter);
      meters.remove(meter);
    }
    return meter;
  }
}
