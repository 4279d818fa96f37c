package dev.overnight.core.schedule;

import dev.overnight.api.config.MissedRunPolicy;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.core.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The missed-run rules as pure functions: given what the scheduler is doing ({@link Situation}) and
 * what came due, which occurrences are missed, with which {@link SkipReason} and why in words,
 * which one is due now, and whether a catch-up cycle is owed and for which occurrence.
 *
 * <p>An occurrence is missed when the process was down ({@link SkipReason#PROCESS_DOWN}, found from
 * the saved snapshot at start), when the wall clock passed it by more than the late tolerance
 * because the machine slept or the clock jumped ({@link SkipReason#MACHINE_ASLEEP}), when a cycle
 * was running or about to start ({@link SkipReason#CYCLE_STILL_RUNNING}: two cycles never overlap),
 * when constraints held it back until its window closed or the next occurrence came ({@link
 * SkipReason#CONSTRAINTS_UNSATISFIED}), when a user paused the scheduler ({@link
 * SkipReason#PAUSED_BY_USER}), or when jitter would start it at or after its window's end ({@link
 * SkipReason#JITTER_PAST_WINDOW_END}). Of several occurrences that came due together only the
 * latest may run.
 *
 * <p>With {@code skip} a missed occurrence is dropped. With {@code run_once_at_next_opportunity}
 * one catch-up cycle is owed, however many were missed, except for those a user paused or jitter
 * pushed out of the window. It runs as soon as no cycle runs, the window is open and the
 * constraints allow; when that moment is the next occurrence itself, that one cycle serves both.
 *
 * <p>No timers, locks or I/O: the scheduler feeds these functions under its lock and applies what
 * they return. Immutable and thread-safe.
 */
final class MissedRuns {
  private final MissedRunPolicy policy;
  private final Duration lateTolerance;

  /**
   * Rules for a policy.
   *
   * @param lateTolerance how late a wake may be before its occurrence counts as missed
   */
  MissedRuns(MissedRunPolicy policy, Duration lateTolerance) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.lateTolerance = Objects.requireNonNull(lateTolerance, "lateTolerance");
  }

  /** What to do about occurrences that could not run. */
  MissedRunPolicy policy() {
    return policy;
  }

  /**
   * What the scheduler is doing.
   *
   * @param cursor the latest occurrence accounted for: occurrences after it have not come due yet
   * @param due the occurrence that came due and has not started: held back by constraints, or
   *     handed to the cycle worker
   * @param heldBy why constraints hold the due occurrence (or an owed catch-up) back, if they do
   * @param runningCycle the id of the cycle running now, if one is
   * @param pausedBy why a user paused the scheduler, if one did
   * @param catchUp the catch-up cycle owed, if one is
   */
  record Situation(
      Instant cursor,
      Optional<Occurrence> due,
      Optional<String> heldBy,
      Optional<String> runningCycle,
      Optional<String> pausedBy,
      Optional<CatchUp> catchUp) {

    /** Validates the components. */
    Situation {
      Objects.requireNonNull(cursor, "cursor");
      Objects.requireNonNull(due, "due");
      Objects.requireNonNull(heldBy, "heldBy");
      Objects.requireNonNull(runningCycle, "runningCycle");
      Objects.requireNonNull(pausedBy, "pausedBy");
      Objects.requireNonNull(catchUp, "catchUp");
    }
  }

  /** An occurrence that will not run, why, and why in words (the record's and event's detail). */
  record Missed(Occurrence occurrence, SkipReason reason, String detail) {

    /** Whether {@code run_once_at_next_opportunity} owes a catch-up for it. */
    boolean owesCatchUp() {
      return reason != SkipReason.PAUSED_BY_USER && reason != SkipReason.JITTER_PAST_WINDOW_END;
    }
  }

  /**
   * A catch-up cycle owed.
   *
   * @param plannedAt the latest occurrence missed, when known; a snapshot only says that one is
   *     owed
   */
  record CatchUp(Optional<Instant> plannedAt) {

    /** The occurrence the catch-up cycle runs as: the latest one missed, or now when unknown. */
    Occurrence occurrence(Instant now, ZoneId zone) {
      Instant at = plannedAt.orElse(now);
      return new Occurrence(LocalDateTime.ofInstant(at, zone), at);
    }
  }

  /**
   * The situation after a change, and the occurrences the change made missed.
   *
   * @param missed the occurrences missed, oldest first
   * @param cursor the latest occurrence now accounted for
   * @param due the occurrence due now
   * @param freshlyDue whether {@code due} just came due, so the constraints must be asked anew
   * @param catchUp the catch-up cycle owed now
   */
  record Outcome(
      List<Missed> missed,
      Instant cursor,
      Optional<Occurrence> due,
      boolean freshlyDue,
      Optional<CatchUp> catchUp) {

    /** Copies the list. */
    Outcome {
      missed = List.copyOf(missed);
    }
  }

  /** The cycle a worker runs next: an occurrence, and whether it serves an owed catch-up. */
  record Candidate(Occurrence occurrence, boolean catchUp) {}

  /**
   * Occurrences came due: {@code came} are those after the cursor up to {@code now}, oldest first.
   * All but the latest are missed. The latest is missed too when it is late, a cycle runs or is
   * about to start, a user paused, or jitter pushed it out of the window; otherwise it becomes due,
   * and a due occurrence that constraints were holding back is missed in its favour.
   *
   * @param more whether more occurrences came due than {@code came} lists (they were too many to
   *     enumerate): then even the latest is late, and the cursor moves to {@code now}
   * @param plan the wake that was planned, if any: how late the wake is is judged from its time
   * @param lateReason what a late wake means: {@link SkipReason#MACHINE_ASLEEP} for a timer that
   *     fired late, {@link SkipReason#PROCESS_DOWN} at start after a restart
   */
  Outcome comeDue(
      Situation s,
      List<Occurrence> came,
      boolean more,
      Instant now,
      Optional<WakePlan> plan,
      SkipReason lateReason) {
    if (came.isEmpty() || !s.cursor().isBefore(now)) {
      return unchanged(s); // nothing came due, or the wall clock went back
    }
    List<Missed> missed = new ArrayList<>();
    Optional<Occurrence> due = s.due();
    if (due.isPresent() && s.heldBy().isPresent()) {
      missed.add(
          new Missed(
              due.get(),
              SkipReason.CONSTRAINTS_UNSATISFIED,
              "constraints held it back until the next occurrence: " + s.heldBy().get()));
      due = Optional.empty();
    }
    // A due occurrence that constraints do not hold back was handed to the worker: about to start.
    Optional<String> busy =
        s.runningCycle()
            .map(id -> id + " was still running")
            .or(() -> s.due().filter(d -> s.heldBy().isEmpty()).map(MissedRuns::starting));
    Occurrence latest = came.get(came.size() - 1);
    Optional<WakePlan> planned = plan.filter(p -> p.occurrence().equals(latest));
    Instant wakeAt = planned.map(WakePlan::wakeAt).orElse(latest.at());
    boolean late = more || now.isAfter(wakeAt.plus(lateTolerance));
    for (Occurrence o : came.subList(0, came.size() - 1)) {
      missed.add(blocked(o, busy, s.pausedBy(), lateReason, now));
    }
    boolean freshlyDue = false;
    if (late) {
      missed.add(blocked(latest, busy, s.pausedBy(), lateReason, now));
    } else if (planned.isPresent() && planned.get().pastWindow()) {
      missed.add(pushedPastWindow(planned.get()));
    } else if (busy.isPresent()) {
      missed.add(new Missed(latest, SkipReason.CYCLE_STILL_RUNNING, busy.get()));
    } else if (s.pausedBy().isPresent()) {
      missed.add(pausedBy(latest, s.pausedBy().get()));
    } else {
      due = Optional.of(latest);
      freshlyDue = true;
    }
    Instant cursor = more ? now : latest.at();
    return new Outcome(missed, cursor, due, freshlyDue, owe(s.catchUp(), missed));
  }

  /** A user paused: the due occurrence, if any, is missed (and owes no catch-up). */
  Outcome paused(Situation s, String reason) {
    List<Missed> missed = s.due().map(d -> pausedBy(d, reason)).stream().toList();
    return new Outcome(missed, s.cursor(), Optional.empty(), false, owe(s.catchUp(), missed));
  }

  /**
   * A re-check came: the due occurrence is missed if its window has closed ({@code windowEnd} is
   * the end of the window holding it) while constraints held it back.
   */
  Outcome recheck(Situation s, Optional<Instant> windowEnd, Instant now) {
    if (s.due().isEmpty() || windowEnd.isEmpty() || now.isBefore(windowEnd.get())) {
      return unchanged(s);
    }
    List<Missed> missed =
        List.of(
            new Missed(
                s.due().get(),
                SkipReason.CONSTRAINTS_UNSATISFIED,
                "constraints held it back until the window closed"
                    + s.heldBy().map(r -> ": " + r).orElse("")));
    return new Outcome(missed, s.cursor(), Optional.empty(), false, owe(s.catchUp(), missed));
  }

  /** The catch-up owed after a restart, from the saved snapshot's flag. */
  Optional<CatchUp> restored(boolean pendingInSnapshot) {
    return pendingInSnapshot && policy == MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY
        ? Optional.of(new CatchUp(Optional.empty()))
        : Optional.empty();
  }

  /**
   * What a scheduled cycle runs next, if anything may: the due occurrence (serving an owed catch-up
   * too), else an owed catch-up while the window is open.
   */
  static Optional<Candidate> next(
      Optional<Occurrence> due,
      Optional<CatchUp> catchUp,
      boolean windowOpen,
      Instant now,
      ZoneId zone) {
    if (due.isPresent()) {
      return Optional.of(new Candidate(due.get(), catchUp.isPresent()));
    }
    if (catchUp.isPresent() && windowOpen) {
      return Optional.of(new Candidate(catchUp.get().occurrence(now, zone), true));
    }
    return Optional.empty();
  }

  private Optional<CatchUp> owe(Optional<CatchUp> owed, List<Missed> missed) {
    if (policy != MissedRunPolicy.RUN_ONCE_AT_NEXT_OPPORTUNITY) {
      return owed;
    }
    Optional<CatchUp> result = owed;
    for (Missed m : missed) {
      if (!m.owesCatchUp()) {
        continue;
      }
      Instant missedAt = m.occurrence().at();
      Instant latest =
          result
              .flatMap(CatchUp::plannedAt)
              .filter(known -> known.isAfter(missedAt))
              .orElse(missedAt);
      result = Optional.of(new CatchUp(Optional.of(latest)));
    }
    return result;
  }

  private static Outcome unchanged(Situation s) {
    return new Outcome(List.of(), s.cursor(), s.due(), false, s.catchUp());
  }

  /** Missed because something kept it from running: a cycle, a pause, or the late wake itself. */
  private static Missed blocked(
      Occurrence o,
      Optional<String> busy,
      Optional<String> pausedBy,
      SkipReason late,
      Instant now) {
    if (busy.isPresent()) {
      return new Missed(o, SkipReason.CYCLE_STILL_RUNNING, busy.get());
    }
    if (pausedBy.isPresent()) {
      return pausedBy(o, pausedBy.get());
    }
    String detail =
        late == SkipReason.PROCESS_DOWN
            ? "the scheduler was not running"
            : "the wall clock passed it by "
                + Durations.human(Duration.between(o.at(), now))
                + " (asleep?)";
    return new Missed(o, late, detail);
  }

  private static Missed pausedBy(Occurrence o, String reason) {
    return new Missed(o, SkipReason.PAUSED_BY_USER, "paused: " + reason);
  }

  private static Missed pushedPastWindow(WakePlan plan) {
    Occurrence o = plan.occurrence();
    return new Missed(
        o,
        SkipReason.JITTER_PAST_WINDOW_END,
        "a jitter of "
            + Durations.human(plan.jitterMs())
            + " would start it at "
            + o.at().plusMillis(plan.jitterMs())
            + ", at or after the window end "
            + plan.windowEnd().map(Instant::toString).orElse("?"));
  }

  private static String starting(Occurrence due) {
    return "the cycle planned at " + due.at() + " was still starting";
  }
}
