package dev.overnight.core.coordinator;

import dev.overnight.api.agent.Usage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a coordinator has done since it was created, as its {@link CoordinatorMetrics} report it.
 *
 * <p>Thread-safe: counted from the cycle's thread and the tasks' threads alike.
 */
final class CoordinatorCounters {
  private final AtomicLong cycles = new AtomicLong();
  private final AtomicLong executed = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong released = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();
  private final AtomicLong decisions = new AtomicLong();
  private final AtomicLong agentSeconds = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicReference<Double> cost = new AtomicReference<>();

  void cycleRan() {
    cycles.incrementAndGet();
  }

  void taskStarted() {
    executed.incrementAndGet();
  }

  void decided() {
    decisions.incrementAndGet();
  }

  /** A task ended with {@code outcome}; one another worker holds now counts there. */
  void ended(AttemptOutcome outcome) {
    switch (outcome) {
      case COMPLETED, COMPLETED_NO_CHANGE -> completed.incrementAndGet();
      case FAILED -> failed.incrementAndGet();
      case RELEASED -> released.incrementAndGet();
      case RETRY -> retried.incrementAndGet();
      case CANCELLED -> cancelled.incrementAndGet();
      case LOST -> {
        // Another worker holds the task now; it counts there.
      }
    }
  }

  /** An agent worked {@code agentTime} and used {@code usage}. */
  void spent(Usage usage, Duration agentTime) {
    agentSeconds.addAndGet(agentTime.toSeconds());
    tokens.addAndGet(usage.totalTokens());
    usage.costUsd().ifPresent(c -> cost.accumulateAndGet(c, (a, b) -> a == null ? b : a + b));
  }

  CoordinatorMetrics metrics() {
    return new CoordinatorMetrics(
        cycles.get(),
        executed.get(),
        completed.get(),
        failed.get(),
        retried.get(),
        released.get(),
        cancelled.get(),
        decisions.get(),
        agentSeconds.get(),
        tokens.get(),
        Optional.ofNullable(cost.get()));
  }
}
