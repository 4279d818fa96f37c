package dev.overnight.core.doctor.internal;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.core.doctor.DoctorReport.Candidate;
import dev.overnight.core.doctor.DoctorReport.KeepAwakeReport;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Acquires and releases the keep-awake Overnight would use, and records whether it really held the
 * machine awake, which provider made it and why the other providers were not used.
 *
 * <p>Which keep-awake that is comes from a {@link KeepAwakeChoice} made outside this check; the
 * supplier is asked when the check runs, so providers' support checks run with the doctor, not when
 * it is assembled. A keep-awake that holds nothing, whose provider cannot create it, or whose
 * acquisition throws is a warning, never a problem: cycles still run, the machine may just sleep.
 * Blocks for as long as one acquire and release take.
 */
public final class KeepAwakeCheck implements DoctorCheck {
  private static final String REASON = "overnight doctor: checking keep-awake";

  private final Supplier<KeepAwakeChoice> choice;

  /** Examines the keep-awake {@code choice} supplies when the check runs. */
  public KeepAwakeCheck(Supplier<KeepAwakeChoice> choice) {
    this.choice = Objects.requireNonNull(choice, "choice");
  }

  @Override
  public void run(Findings findings) {
    KeepAwakeChoice c = Objects.requireNonNull(choice.get(), "the keep-awake choice");
    KeepAwake keepAwake = c.explicit().orElse(null);
    String creationFailure = null;
    if (keepAwake == null && c.chosen().isPresent()) {
      KeepAwakeProvider provider = c.chosen().get();
      try {
        keepAwake = provider.create();
      } catch (RuntimeException | LinkageError e) {
        creationFailure = provider.getClass().getName() + ".create() threw " + e;
      }
    }
    List<Candidate> candidates =
        Candidates.of(
            c.found(), c.chosen(), KeepAwakeProvider::order, KeepAwakeProvider::isSupported);
    if (keepAwake == null) {
      keepAwake = KeepAwake.noop();
    }
    String implementation = safeDescribe(keepAwake);
    boolean held = false;
    String detail;
    try (KeepAwake.Handle handle = keepAwake.acquire(REASON)) {
      held = handle.held();
      String said = describeHandle(handle);
      if (held) {
        detail = "acquired and released" + (said.isEmpty() ? "" : " (" + said + ")");
      } else {
        detail = said.isEmpty() ? "acquire() returned a handle that holds nothing" : said;
      }
    } catch (RuntimeException | LinkageError e) {
      detail = "acquire() threw " + e;
    }
    if (creationFailure != null) {
      detail = creationFailure + "; " + detail;
    }
    if (!held) {
      findings.warning(
          "keep-awake is not held ("
              + implementation
              + "): the machine may sleep while a cycle runs");
    }
    findings.reportKeepAwake(
        new KeepAwakeReport(
            implementation, c.chosen().map(p -> p.getClass().getName()), candidates, held, detail));
  }

  /** What a handle says of itself, when its class says anything (records and overrides do). */
  private static String describeHandle(KeepAwake.Handle handle) {
    try {
      if (handle.getClass().getMethod("toString").getDeclaringClass() == Object.class) {
        return "";
      }
      return String.valueOf(handle);
    } catch (NoSuchMethodException | RuntimeException e) {
      return "";
    }
  }

  private static String safeDescribe(KeepAwake keepAwake) {
    try {
      return keepAwake.describe();
    } catch (RuntimeException | LinkageError e) {
      return keepAwake.getClass().getName() + " (describe() threw " + e + ")";
    }
  }
}
