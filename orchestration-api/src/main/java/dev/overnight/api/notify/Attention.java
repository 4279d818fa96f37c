package dev.overnight.api.notify;

import java.util.Locale;

/**
 * What a human is needed for, in a {@link NotificationKind#NEEDS_HUMAN} notification.
 *
 * @since 0.1.0
 */
public enum Attention {
  /**
   * The task did not finish and the permission policy refused something its agent asked for: the
   * policy, or the task, has to change before it can.
   */
  PERMISSION_REFUSED,
  /**
   * An agent was parked (a usage limit, a login it needs, failing to start) until after the night's
   * window: no task that needs it runs again tonight.
   */
  AGENT_PARKED,
  /** The task failed for good, having failed attempt after attempt. */
  FAILING_REPEATEDLY,
  /**
   * A night alarm: the schedule fired night after night without producing a change, or fired on
   * none of the nights it was due. Told once per alarm, not every cycle it stays raised.
   */
  NIGHT_ALARM,
  /**
   * The task's pull request conflicts with its base and its agent could not resolve the conflict: a
   * human merges the base into the branch.
   */
  CONFLICT;

  /** The reason as JSON writes it, e.g. {@code permission_refused}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return key();
  }
}
