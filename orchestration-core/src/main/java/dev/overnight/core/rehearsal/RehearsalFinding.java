package dev.overnight.core.rehearsal;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing the rehearsal found: what it checked, how that went and, for anything short of fine,
 * the fix to apply.
 *
 * @param area what was checked, e.g. {@code agent claude-code}, {@code disk}, {@code gh}
 * @param severity how it went
 * @param what what was found, in words
 * @param fix what to do about it; present for every problem and warning the rehearsal raises itself
 *     (the doctor's findings it passes on say theirs in their text)
 * @since 0.1.0
 */
public record RehearsalFinding(String area, Severity severity, String what, Optional<String> fix) {

  /** How a finding bears on the night. */
  public enum Severity {
    /** Works as the night needs. */
    OK,
    /** Works, but deserves attention. */
    WARNING,
    /** Stops the night, or part of it. */
    PROBLEM;

    /** The value as written in JSON: {@code ok}, {@code warning}, {@code problem}. */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates the components. */
  public RehearsalFinding {
    Objects.requireNonNull(area, "area");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(fix, "fix");
  }

  /** Something that works. */
  public static RehearsalFinding ok(String area, String what) {
    return new RehearsalFinding(area, Severity.OK, what, Optional.empty());
  }

  /** Something that works but deserves attention, and what to do. */
  public static RehearsalFinding warning(String area, String what, String fix) {
    return new RehearsalFinding(area, Severity.WARNING, what, Optional.of(fix));
  }

  /** Something that stops the night, and what to do. */
  public static RehearsalFinding problem(String area, String what, String fix) {
    return new RehearsalFinding(area, Severity.PROBLEM, what, Optional.of(fix));
  }

  /** A doctor's problem or warning, passed on as it was worded (it says its own fix). */
  public static RehearsalFinding fromDoctor(Severity severity, String text) {
    return new RehearsalFinding("doctor", severity, text, Optional.empty());
  }

  /** Whether this stops the night. */
  public boolean isProblem() {
    return severity == Severity.PROBLEM;
  }
}
