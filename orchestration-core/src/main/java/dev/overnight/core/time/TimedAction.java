package dev.overnight.core.time;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * An action {@link SystemTimeSource} runs at an instant: what its queue holds, ordered by time,
 * then by the order in which actions were scheduled, so actions due at one instant run first come,
 * first served — the order the virtual time of {@code orchestration-fakes} keeps too.
 *
 * @param at when the action is due
 * @param sequence the order of scheduling, unique within one time source
 * @param action what to run
 */
record TimedAction(Instant at, long sequence, Runnable action) implements Comparable<TimedAction> {

  private static final Comparator<TimedAction> ORDER =
      Comparator.comparing(TimedAction::at).thenComparingLong(TimedAction::sequence);

  /** Validates the components. */
  TimedAction {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
  }

  @Override
  public int compareTo(TimedAction other) {
    return ORDER.compare(this, other);
  }
}
