package dev.overnight.api.queue;

/**
 * What {@link TaskQueue#fail} does with the task after a failed attempt.
 *
 * @since 0.1.0
 */
public enum Retry {
  /**
   * Back to {@code PENDING} if the task has attempts left, else {@code FAILED}. For ordinary
   * failures: the agent crashed, the budget ran out, the session got stuck.
   */
  IF_ATTEMPTS_LEFT,
  /** {@code FAILED} now, whatever attempts remain. For failures another try cannot fix. */
  NEVER,
  /**
   * Back to {@code PENDING} without counting the attempt. For interruptions that are not the task's
   * fault: an agent's usage limit, a daemon shutting down.
   */
  RELEASE
}
