package dev.overnight.core.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The scheduler's next wake: the occurrence it is for, and when to wake for it.
 *
 * @param occurrence the next occurrence
 * @param wakeAt its time plus jitter; its time alone when jitter would start it past the window
 * @param jitterMs the jitter drawn for it
 * @param pastWindow whether jitter would start it at or after its window's end: it is then skipped,
 *     and the wake at its cron time reports the skip
 * @param windowEnd the end of the window holding the occurrence, if there is a window
 */
record WakePlan(
    Occurrence occurrence,
    Instant wakeAt,
    long jitterMs,
    boolean pastWindow,
    Optional<Instant> windowEnd) {

  /** Validates the components. */
  WakePlan {
    Objects.requireNonNull(occurrence, "occurrence");
    Objects.requireNonNull(wakeAt, "wakeAt");
    Objects.requireNonNull(windowEnd, "windowEnd");
  }

  /** The wake for {@code occurrence} with {@code jitterMs} drawn, inside a window ending then. */
  static WakePlan of(Occurrence occurrence, long jitterMs, Optional<Instant> windowEnd) {
    Instant jittered = occurrence.at().plusMillis(jitterMs);
    boolean pastWindow =
        jitterMs > 0 && windowEnd.isPresent() && !jittered.isBefore(windowEnd.get());
    return new WakePlan(
        occurrence, pastWindow ? occurrence.at() : jittered, jitterMs, pastWindow, windowEnd);
  }
}
