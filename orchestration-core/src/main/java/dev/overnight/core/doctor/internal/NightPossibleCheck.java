package dev.overnight.core.doctor.internal;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.doctor.DoctorReport.CheckerReport;
import dev.overnight.core.schedule.ScheduleTimes;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Says whether a night can ever run with this configuration on this machine: a schedule that never
 * fires inside its window, or an enabled constraint this machine cannot read while {@code
 * on_unknown} is {@code fail}, holds back every cycle, every night. Each such reason is recorded
 * with the fix to apply, and is a problem.
 *
 * <p>An {@code UNKNOWN} reading is taken as one the machine can never give: checkers answer {@code
 * UNKNOWN} for what the machine lacks (no logind session on a headless box, no power supply class,
 * no provider for this system), not for what it is doing. A checker that merely overran its timeout
 * is the exception, left to the constraint checkers' own warning.
 *
 * <p>Runs after {@link ConstraintCheckersCheck}, whose answers it reads; computes the schedule's
 * next occurrence, which is quick and touches nothing outside this process.
 */
public final class NightPossibleCheck implements DoctorCheck {
  private final Schedule schedule;
  private final Constraints constraints;
  private final InstantSource clock;

  /**
   * @param schedule when cycles run
   * @param constraints the configuration's constraints, for {@code on_unknown}
   * @param clock the moment the schedule is read from
   */
  public NightPossibleCheck(Schedule schedule, Constraints constraints, InstantSource clock) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.constraints = Objects.requireNonNull(constraints, "constraints");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void run(Findings findings) {
    windowNeverOpens().ifPresent(findings::neverRuns);
    if (constraints.onUnknown() != UnknownPolicy.FAIL) {
      return;
    }
    for (CheckerReport c : findings.checkers().orElse(List.of())) {
      if (c.enabled() && c.status() == ConstraintStatus.UNKNOWN && !overran(c)) {
        findings.neverRuns(
            "constraint '"
                + c.name()
                + "' cannot be read on this machine ("
                + c.reason()
                + ") and on_unknown is \"fail\", so it holds back every cycle; fix: set"
                + " constraints.on_unknown to \"pass\", or turn '"
                + c.name()
                + "' off");
      }
    }
  }

  private Optional<String> windowNeverOpens() {
    ScheduleTimes times;
    try {
      times = ScheduleTimes.of(schedule);
    } catch (RuntimeException e) {
      // A schedule that cannot be read is the config check's finding, not this one's.
      return Optional.empty();
    }
    if (times.next(clock.instant()).isPresent()) {
      return Optional.empty();
    }
    String window =
        schedule.windowStart().map(s -> s + "–" + schedule.windowEnd().orElseThrow()).orElse("");
    return Optional.of(
        "the schedule \""
            + schedule.expression()
            + "\" never fires"
            + (window.isEmpty() ? "" : " inside the window " + window)
            + "; fix: change schedule.cron or the window so that they meet");
  }

  private static boolean overran(CheckerReport c) {
    return c.reason().startsWith("no answer within");
  }
}
