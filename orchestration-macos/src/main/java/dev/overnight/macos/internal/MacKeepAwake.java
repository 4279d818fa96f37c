package dev.overnight.macos.internal;

import dev.overnight.api.KeepAwake;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a Mac awake with an IOKit power assertion, {@code PreventUserIdleSystemSleep} (what {@code
 * caffeinate -i} takes), and falls back to a {@code caffeinate -i -w <pid>} child when the
 * assertion cannot be created. Both end with the process: powerd drops a dead process's assertions,
 * and {@code -w} makes caffeinate exit with the JVM.
 *
 * <p>As IOPMLib.h says, the system may still sleep on lid close, from the Apple menu or on low
 * battery.
 */
public final class MacKeepAwake implements KeepAwake {
  private static final Logger LOG = LoggerFactory.getLogger(MacKeepAwake.class);
  static final String ASSERTION_TYPE = "PreventUserIdleSystemSleep";
  private static final long STOP_TIMEOUT_MS = 2000;

  private final MacSystem system;
  private final List<String> caffeinate;
  private final long pid;

  /**
   * Creates the keep-awake.
   *
   * @param system creates and releases the assertion
   * @param caffeinate the fallback program (and leading arguments) to run as {@code caffeinate}
   * @param pid the process whose end ends the fallback: this JVM's
   */
  public MacKeepAwake(MacSystem system, List<String> caffeinate, long pid) {
    this.system = system;
    this.caffeinate = List.copyOf(caffeinate);
    this.pid = pid;
  }

  @Override
  public Handle acquire(String reason) {
    String name = reason.isBlank() ? "Overnight cycle" : "Overnight: " + reason;
    String failure;
    try {
      MacSystem.AssertionResult result = system.createAssertion(ASSERTION_TYPE, name);
      if (result.succeeded()) {
        return new AssertionHandle(system, result.id());
      }
      failure = String.format("IOPMAssertionCreateWithName returned 0x%08x", result.ioReturn());
    } catch (RuntimeException | LinkageError e) {
      failure = "IOPMAssertionCreateWithName failed: " + e;
    }
    List<String> command = new ArrayList<>(caffeinate);
    command.addAll(List.of("-i", "-w", Long.toString(pid)));
    try {
      Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
      child.getOutputStream().close();
      LOG.warn("{}; keeping the machine awake with {} instead", failure, String.join(" ", command));
      return new CaffeinateHandle(child, command);
    } catch (IOException e) {
      String why = failure + "; " + command.get(0) + " could not start: " + e.getMessage();
      LOG.warn("Cannot keep the machine awake: {}", why);
      return new NotHeld(why);
    }
  }

  @Override
  public String describe() {
    return "IOPMAssertion " + ASSERTION_TYPE + " (fallback: caffeinate -i -w " + pid + ")";
  }

  /** An assertion held through IOKit. */
  static final class AssertionHandle implements Handle {
    private final MacSystem system;
    private final int id;
    private final AtomicBoolean closed = new AtomicBoolean();

    AssertionHandle(MacSystem system, int id) {
      this.system = system;
      this.id = id;
    }

    @Override
    public boolean held() {
      return !closed.get();
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        int ret = system.releaseAssertion(id);
        if (ret != 0) {
          LOG.warn("IOPMAssertionRelease({}) returned 0x{}", id, Integer.toHexString(ret));
        }
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("IOPMAssertionRelease({}) failed: {}", id, e.toString());
      }
    }

    @Override
    public String toString() {
      return "IOPMAssertion " + ASSERTION_TYPE + " #" + id;
    }
  }

  /** A {@code caffeinate} child holding the machine awake until it is stopped. */
  public static final class CaffeinateHandle implements Handle {
    private final Process child;
    private final List<String> command;
    private final AtomicBoolean closed = new AtomicBoolean();

    CaffeinateHandle(Process child, List<String> command) {
      this.child = child;
      this.command = List.copyOf(command);
    }

    /** The command line the child was started with. */
    public List<String> command() {
      return command;
    }

    /** The child. */
    public ProcessHandle process() {
      return child.toHandle();
    }

    @Override
    public boolean held() {
      return !closed.get() && child.isAlive();
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      child.destroy();
      try {
        if (!child.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
          child.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        child.destroyForcibly();
      }
    }

    @Override
    public String toString() {
      return "caffeinate child (pid " + child.pid() + ")";
    }
  }

  /** Holds nothing, with the reason. */
  record NotHeld(String why) implements Handle {
    @Override
    public boolean held() {
      return false;
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "not held: " + why;
    }
  }
}
