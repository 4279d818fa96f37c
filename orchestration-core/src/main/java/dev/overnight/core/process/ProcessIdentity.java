package dev.overnight.core.process;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One process, told apart from any later process that gets its pid: the pid and the instant it
 * started. Written into the state folder (who holds it, which agents run) so that a later process
 * can tell whether the one recorded is still alive.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pid the process id
 * @param started when it started, when the operating system says (Linux and macOS do)
 * @since 0.1.0
 */
public record ProcessIdentity(long pid, Optional<Instant> started) {

  /** Validates the components. */
  public ProcessIdentity {
    if (pid <= 0) {
      throw new IllegalArgumentException("a pid is positive, was " + pid);
    }
    Objects.requireNonNull(started, "started");
  }

  /** This process. */
  public static ProcessIdentity current() {
    return of(ProcessHandle.current());
  }

  /** A running process. */
  public static ProcessIdentity of(ProcessHandle process) {
    return new ProcessIdentity(process.pid(), process.info().startInstant());
  }

  /**
   * Whether this very process is still running: a live process has its pid and, when the start is
   * known, started at that instant (otherwise the pid was reused by another process). Without a
   * known start, any live process with the pid counts, so that nothing alive is taken for dead.
   */
  public boolean isAlive() {
    Optional<ProcessHandle> now = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (now.isEmpty()) {
      return false;
    }
    if (started.isEmpty()) {
      return true;
    }
    // A start the system no longer tells is taken as the same process: never kill on a doubt.
    return now.get().info().startInstant().map(started.get()::equals).orElse(true);
  }

  /** Whether {@code other} is this process: same pid and, when both are known, same start. */
  public boolean sameAs(ProcessIdentity other) {
    return pid == other.pid
        && (started.isEmpty() || other.started.isEmpty() || started.equals(other.started));
  }

  @Override
  public String toString() {
    return "pid " + pid + started.map(s -> " (started " + s + ")").orElse("");
  }
}
