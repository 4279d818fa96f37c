package dev.overnight.core.pr;

import java.util.Locale;

/**
 * Where a pull request stands, as the morning report, the dashboard and {@code overnight cleanup}
 * read it.
 *
 * @since 0.1.0
 */
public enum PullRequestState {
  /** Open, nothing failing and no change asked for. */
  OPEN,
  /** Open, and a check or status on its head failed. */
  CHECKS_FAILING,
  /** Open, and a reviewer asked for changes. */
  CHANGES_REQUESTED,
  /** Merged into its base. */
  MERGED,
  /** Closed without being merged. */
  CLOSED;

  /** Whether nothing more will happen to it: merged or closed. */
  public boolean ended() {
    return this == MERGED || this == CLOSED;
  }

  /** The state as JSON and the report write it, e.g. {@code checks_failing}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return key();
  }
}
