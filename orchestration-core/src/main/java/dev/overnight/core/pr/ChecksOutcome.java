package dev.overnight.core.pr;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the checks on a pull request's head stand: still running, passed, or failed (with the first
 * failing check's name and what it said).
 *
 * @param state where they stand
 * @param failingCheck the name of the first check that failed, when one did
 * @param summary what the failing check said (its output's summary or title, or the status's
 *     description), when it said something
 * @since 0.1.0
 */
public record ChecksOutcome(State state, Optional<String> failingCheck, Optional<String> summary) {

  /** Checks presence. */
  public ChecksOutcome {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(failingCheck, "failingCheck");
    Objects.requireNonNull(summary, "summary");
  }

  /**
   * Where a pull request's checks stand.
   *
   * @since 0.1.0
   */
  public enum State {
    /** No check has reported yet, or some are still queued or running and none failed. */
    PENDING,
    /** Every check completed and none failed. */
    PASSED,
    /** A check concluded failure, timed out, was cancelled or needs action. */
    FAILED
  }

  /** Still waiting. */
  public static ChecksOutcome pending() {
    return new ChecksOutcome(State.PENDING, Optional.empty(), Optional.empty());
  }

  /** All done, none failed. */
  public static ChecksOutcome passed() {
    return new ChecksOutcome(State.PASSED, Optional.empty(), Optional.empty());
  }

  /** {@code check} failed, saying {@code summary}. */
  public static ChecksOutcome failed(String check, Optional<String> summary) {
    return new ChecksOutcome(State.FAILED, Optional.of(check), summary);
  }
}
