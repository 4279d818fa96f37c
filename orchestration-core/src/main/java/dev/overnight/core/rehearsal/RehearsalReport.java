package dev.overnight.core.rehearsal;

import dev.overnight.core.doctor.DoctorReport;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Rehearsal} found, rendered by {@link #toText()} for people and {@link #toJson()}
 * for tools. A night would run when no finding is a problem.
 *
 * @param generatedAt when the rehearsal ran
 * @param configSource which configuration was rehearsed: a file path, or a note
 * @param service the context it was rehearsed in (only variable names are ever rendered, never
 *     their values)
 * @param findings everything found, in the order it was checked, each problem and warning with its
 *     fix
 * @param doctor the doctor's report of this machine, run in the same context (its problems and
 *     warnings are among the findings)
 * @param cost tonight's projected cost against the night's limits
 * @since 0.1.0
 */
public record RehearsalReport(
    Instant generatedAt,
    String configSource,
    ServiceEnvironment service,
    List<RehearsalFinding> findings,
    DoctorReport doctor,
    CostProjection cost) {

  /** Validates the components and copies the list. */
  public RehearsalReport {
    Objects.requireNonNull(generatedAt, "generatedAt");
    Objects.requireNonNull(configSource, "configSource");
    Objects.requireNonNull(service, "service");
    findings = List.copyOf(findings);
    Objects.requireNonNull(doctor, "doctor");
    Objects.requireNonNull(cost, "cost");
  }

  /** Whether a night would run: no finding is a problem. */
  public boolean nightWouldRun() {
    return findings.stream().noneMatch(RehearsalFinding::isProblem);
  }

  /** Whether no night can ever run with this configuration here (see the doctor's reasons). */
  public boolean neverRunsHere() {
    return !doctor.nightPossible();
  }

  /** The findings that stop the night, in order. */
  public List<RehearsalFinding> problems() {
    return findings.stream().filter(RehearsalFinding::isProblem).toList();
  }

  /** The report as plain text, ending with a newline. */
  public String toText() {
    return RehearsalRendering.text(this);
  }

  /** The report as a pretty-printed JSON object (snake_case keys), ending with a newline. */
  public String toJson() {
    return RehearsalRendering.json(this);
  }
}
