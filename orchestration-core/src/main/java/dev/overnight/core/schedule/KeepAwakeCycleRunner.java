package dev.overnight.core.schedule;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.schedule.CycleContext;
import dev.overnight.api.schedule.CycleRunner;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CycleRunner} that keeps the machine awake while the runner it wraps works: it acquires
 * {@link KeepAwake} before delegating and releases it on every exit path. {@link #close()} releases
 * a hold at once, even while the cycle still runs, and refuses new ones: the scheduler closes it on
 * {@code stop()}. While it holds keep-awake a JVM shutdown hook is registered (unless turned off),
 * so a process that exits in the middle of a cycle lets the machine sleep again.
 *
 * <p>A keep-awake that cannot be acquired is logged and the cycle runs anyway: a night's work
 * matters more than the machine staying awake for it.
 *
 * <p>Thread-safe: {@link #close()} and the shutdown hook may run on any thread, and each hold is
 * released exactly once. {@link #runCycle} blocks as long as the wrapped runner does and throws
 * what it throws.
 */
final class KeepAwakeCycleRunner implements CycleRunner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeepAwakeCycleRunner.class);
  private static final AtomicBoolean NO_KEEP_AWAKE_LOGGED = new AtomicBoolean();

  private final CycleRunner delegate;
  private final KeepAwake keepAwake;
  private final String schedulerId;
  private final Optional<Thread> shutdownHook;
  private final AtomicReference<KeepAwake.Handle> held = new AtomicReference<>();
  private volatile boolean closed;
  private boolean hookRegistered; // guarded by this

  /**
   * Wraps a runner.
   *
   * @param schedulerId names the holds ({@code "Overnight nightly: cycle-3"}) and the hook's thread
   * @param releaseOnExit whether to release a hold from a JVM shutdown hook
   */
  KeepAwakeCycleRunner(
      CycleRunner delegate, KeepAwake keepAwake, String schedulerId, boolean releaseOnExit) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.keepAwake = Objects.requireNonNull(keepAwake, "keepAwake");
    this.schedulerId = Objects.requireNonNull(schedulerId, "schedulerId");
    this.shutdownHook =
        releaseOnExit
            ? Optional.of(
                new Thread(
                    () -> release(held.get()), "overnight-keep-awake-release-" + schedulerId))
            : Optional.empty();
    if (keepAwake == KeepAwake.noop() && NO_KEEP_AWAKE_LOGGED.compareAndSet(false, true)) {
      LOG.info(
          "No platform keep-awake ({}): the machine may sleep during a cycle. Add"
              + " dev.overnight:orchestration-macos or dev.overnight:orchestration-linux to keep it"
              + " awake.",
          keepAwake.describe());
    }
  }

  @Override
  public void runCycle(CycleContext cycle) throws Exception {
    Optional<KeepAwake.Handle> hold = acquire(cycle);
    try {
      delegate.runCycle(cycle);
    } finally {
      hold.ifPresent(this::release);
      unregisterHook();
    }
  }

  /** Releases the hold taken for a running cycle, if any, and takes no more. Idempotent. */
  @Override
  public void close() {
    closed = true;
    release(held.get());
    unregisterHook();
  }

  private Optional<KeepAwake.Handle> acquire(CycleContext cycle) {
    if (closed) {
      return Optional.empty();
    }
    KeepAwake.Handle handle;
    try {
      handle = keepAwake.acquire("Overnight " + schedulerId + ": " + cycle.cycleId());
    } catch (RuntimeException e) {
      LOG.warn("Could not keep the machine awake for {}: {}", cycle.cycleId(), e.toString());
      return Optional.empty();
    }
    held.set(handle);
    registerHook();
    if (closed) { // close() may have run before the hold was visible to it
      release(handle);
      return Optional.empty();
    }
    return Optional.of(handle);
  }

  /** Releases {@code handle} if it is still held: whoever takes it from {@link #held} closes it. */
  private void release(KeepAwake.Handle handle) {
    if (handle == null || !held.compareAndSet(handle, null)) {
      return;
    }
    try {
      handle.close();
    } catch (RuntimeException e) {
      LOG.warn("Could not release keep-awake for scheduler {}", schedulerId, e);
    }
  }

  private synchronized void registerHook() {
    if (shutdownHook.isEmpty() || hookRegistered) {
      return;
    }
    try {
      Runtime.getRuntime().addShutdownHook(shutdownHook.get());
      hookRegistered = true;
    } catch (IllegalStateException e) {
      LOG.debug("The JVM is shutting down; no keep-awake release hook installed");
    }
  }

  private synchronized void unregisterHook() {
    if (!hookRegistered) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook.orElseThrow());
    } catch (IllegalStateException e) {
      LOG.debug("The JVM is shutting down; the keep-awake release hook stays");
    }
    hookRegistered = false;
  }
}
