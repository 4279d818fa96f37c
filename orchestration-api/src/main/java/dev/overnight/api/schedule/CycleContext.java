package dev.overnight.api.schedule;

import java.time.Instant;

/**
 * What a {@link CycleRunner} is told about the cycle it runs.
 *
 * <p>Thread-safe. The runner must finish by {@link #deadline()} and should check {@link
 * #isCancelled()} (or register {@link #onCancel}) to stop early when the scheduler stops.
 *
 * @since 0.1.0
 */
public interface CycleContext {

  /** The cycle's id, unique per scheduler. */
  String cycleId();

  /** The cron time the cycle was planned for. */
  Instant plannedAt();

  /** When the cycle started. */
  Instant startedAt();

  /** When the cycle's time budget runs out. */
  Instant deadline();

  /** Whether this is a catch-up cycle for missed runs. */
  boolean catchUp();

  /** Whether the scheduler has asked the cycle to stop (it is stopping). */
  boolean isCancelled();

  /**
   * Runs {@code action} once when the cycle is cancelled (at once if it already is). Actions run on
   * the thread that cancels and must not block.
   */
  void onCancel(Runnable action);

  /**
   * Adds a line to the cycle's record, such as how many tasks it ran and why it stopped starting
   * more; the scheduler's cycle history and the morning report show it after the outcome. Does not
   * block. The default ignores the note, for contexts that keep no record.
   *
   * @param text one line of plain text
   */
  default void note(String text) {}

  /**
   * Says this cycle started no work, and why: its {@link WakeReceipt} then reads skipped with that
   * reason instead of fired, so a night that ran without doing anything is not mistaken for one
   * that worked. The last call wins. Does not block. The default ignores it, for contexts that keep
   * no record.
   *
   * @param reason why nothing started: {@link WakeReason#NO_WORK}, {@link
   *     WakeReason#NIGHT_LIMIT_REACHED} or {@link WakeReason#AGENT_PARKED}, usually
   * @param detail the specifics in words, such as which limit and its reading
   */
  default void nothingStarted(WakeReason reason, String detail) {}
}
