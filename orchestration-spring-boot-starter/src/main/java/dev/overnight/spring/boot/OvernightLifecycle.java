package dev.overnight.spring.boot;

import dev.overnight.core.runtime.OvernightRuntime;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/**
 * Starts Overnight's scheduler with the application context and stops it gracefully with it: no new
 * cycle, running agents cancelled and, after the configured grace, killed (their tasks go back to
 * pending), waiting up to the shutdown timeout for the cycle to end. The runtime itself is closed
 * when its bean is destroyed.
 *
 * <p>With {@code overnight.scheduler.auto-start=false} nothing is scheduled: the application runs
 * cycles itself ({@link OvernightRuntime#runOnce()}). It runs in the last phase, so the scheduler
 * starts after everything else and stops first.
 *
 * <p>Thread-safe. {@link #stop()} blocks up to the shutdown timeout.
 *
 * @since 0.1.0
 */
public final class OvernightLifecycle implements SmartLifecycle {
  private final OvernightRuntime runtime;
  private final boolean startScheduler;
  private final Optional<Duration> shutdownTimeout;
  private volatile boolean running;

  /**
   * Creates the lifecycle of a runtime.
   *
   * @param startScheduler whether {@link #start()} starts the scheduler
   * @param shutdownTimeout how long {@link #stop()} waits for a running cycle; empty for the
   *     runtime's own default
   */
  public OvernightLifecycle(
      OvernightRuntime runtime, boolean startScheduler, Optional<Duration> shutdownTimeout) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.startScheduler = startScheduler;
    this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    if (startScheduler) {
      runtime.start();
    }
    running = true;
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    runtime.stop(shutdownTimeout.orElse(defaultWait()));
  }

  private Duration defaultWait() {
    return Duration.ofSeconds(runtime.config().limits().cancelGraceSec() + 30L);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Whether {@link #start()} starts the scheduler ({@code overnight.scheduler.auto-start}). */
  public boolean startsScheduler() {
    return startScheduler;
  }
}
