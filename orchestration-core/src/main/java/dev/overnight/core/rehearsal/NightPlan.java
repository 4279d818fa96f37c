package dev.overnight.core.rehearsal;

import java.util.Objects;

/**
 * How many tasks tonight is expected to start, and from what: the pending tasks of the queue, or,
 * with an empty queue, the task the decision engine would propose.
 *
 * @param tasks tasks expected tonight, at least 0
 * @param basis where the number comes from, in words
 * @since 0.1.0
 */
public record NightPlan(int tasks, String basis) {

  /** Validates the components. */
  public NightPlan {
    if (tasks < 0) {
      throw new IllegalArgumentException("tasks must be at least 0, not " + tasks);
    }
    Objects.requireNonNull(basis, "basis");
  }

  /** No plan known. */
  public static NightPlan unknown() {
    return new NightPlan(0, "no plan: the queue and the decision engine were not read");
  }
}
