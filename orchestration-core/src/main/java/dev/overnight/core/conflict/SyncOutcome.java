package dev.overnight.core.conflict;

import java.util.Locale;

/**
 * What a {@linkplain BaseSync#sync sync with the base} did to a task's branch.
 *
 * @since 0.1.0
 */
public enum SyncOutcome {
  /** The branch already contains its base: nothing was done. */
  UP_TO_DATE,
  /** Overnight's own commits were rebased onto the moved base; the gate passed. */
  REBASED,
  /** The base was merged into the branch without conflict; the gate passed. */
  MERGED,
  /** The base conflicted; the agent resolved the conflict in a follow-up turn; the gate passed. */
  RESOLVED,
  /**
   * The branch could not take in its base: the agent left the conflict unresolved, or the gate
   * fails with the base taken in. The branch is left as it was; a human is needed.
   */
  NEEDS_RESOLUTION;

  /** The outcome as JSON and task facts write it, e.g. {@code needs_resolution}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the branch now contains its base. */
  public boolean inSync() {
    return this != NEEDS_RESOLUTION;
  }

  @Override
  public String toString() {
    return key();
  }
}
