package dev.overnight.api.fleet;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a worker is doing, as the fleet sees it: running tasks, waiting for its window, held back by
 * constraints (and which), idle inside its window, or stopping.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind which of the states
 * @param unmet the constraints that hold it back, each with its reason (e.g. {@code plugged_in: on
 *     battery}); empty unless {@code kind} is {@link Kind#CONSTRAINTS_UNMET}
 * @since 0.1.0
 */
public record WorkerState(Kind kind, List<String> unmet) {

  /** The states a worker can be in. */
  public enum Kind {
    /** Running at least one task. */
    RUNNING,
    /** Outside its window, or between cycles: waiting for the next one. */
    WAITING_FOR_WINDOW,
    /** Inside its window, but its constraints hold it back. */
    CONSTRAINTS_UNMET,
    /** Inside a cycle with nothing to run: waiting for work. */
    IDLE,
    /** Shutting down. */
    STOPPING;

    /** The state's name as stored and shown: lower case, e.g. {@code waiting_for_window}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks and copies. */
  public WorkerState {
    Objects.requireNonNull(kind, "kind");
    unmet = List.copyOf(unmet);
    if (!unmet.isEmpty() && kind != Kind.CONSTRAINTS_UNMET) {
      throw new IllegalArgumentException("only a worker held back by constraints has unmet ones");
    }
  }

  /** Running tasks. */
  public static WorkerState running() {
    return new WorkerState(Kind.RUNNING, List.of());
  }

  /** Waiting for its window. */
  public static WorkerState waitingForWindow() {
    return new WorkerState(Kind.WAITING_FOR_WINDOW, List.of());
  }

  /** Held back by these constraints. */
  public static WorkerState constraintsUnmet(List<String> unmet) {
    return new WorkerState(Kind.CONSTRAINTS_UNMET, unmet);
  }

  /** Idle inside a cycle. */
  public static WorkerState idle() {
    return new WorkerState(Kind.IDLE, List.of());
  }

  /** Stopping. */
  public static WorkerState stopping() {
    return new WorkerState(Kind.STOPPING, List.of());
  }
}
