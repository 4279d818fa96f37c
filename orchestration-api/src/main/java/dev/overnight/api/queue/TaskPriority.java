package dev.overnight.api.queue;

/**
 * How urgent a task is. The queue hands out higher priorities first (see {@link
 * TaskQueue#claimNext}).
 *
 * @since 0.1.0
 */
public enum TaskPriority {
  /** Claimed before everything else. */
  HIGH,
  /** The default. */
  MEDIUM,
  /** Claimed last. */
  LOW;

  /** The sort rank: 1 for high, 3 for low. */
  public int rank() {
    return ordinal() + 1;
  }
}
