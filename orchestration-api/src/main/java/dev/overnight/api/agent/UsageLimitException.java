package dev.overnight.api.agent;

import java.time.Instant;
import java.util.Optional;

/**
 * The agent hit its provider's rate or usage limit. Not the task's fault: the coordinator puts the
 * task back untouched, parks the agent until {@link #resetAt()} (or a back-off), and lets the next
 * allowed agent work.
 *
 * @since 0.1.0
 */
public class UsageLimitException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final Instant resetAt;

  /**
   * Creates the exception.
   *
   * @param message what the agent reported
   * @param resetAt when the limit resets, if the agent said
   */
  public UsageLimitException(String message, Optional<Instant> resetAt) {
    super(message);
    this.resetAt = resetAt.orElse(null);
  }

  /** When the limit resets, if known. */
  public Optional<Instant> resetAt() {
    return Optional.ofNullable(resetAt);
  }
}
