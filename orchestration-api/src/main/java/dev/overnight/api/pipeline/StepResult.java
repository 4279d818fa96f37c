package dev.overnight.api.pipeline;

import dev.overnight.api.agent.Usage;
import java.util.Map;
import java.util.Objects;

/**
 * What one step did: its status, a one-line summary, named outputs later steps' templates read
 * ({@code ${steps.build.output}}), and what it spent.
 *
 * @param status how it ended
 * @param summary one line for the report, e.g. {@code exit 1: 3 tests failed}
 * @param outputs named outputs, e.g. {@code output} (a command's last lines) or {@code pr_url}
 * @param usage what agent turns in the step used ({@link Usage#NONE} for none)
 * @since 0.1.0
 */
public record StepResult(
    StepStatus status, String summary, Map<String, String> outputs, Usage usage) {

  /** Validates and copies. */
  public StepResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    outputs = Map.copyOf(outputs);
    Objects.requireNonNull(usage, "usage");
  }

  /** A success with outputs and no usage. */
  public static StepResult succeeded(String summary, Map<String, String> outputs) {
    return new StepResult(StepStatus.SUCCEEDED, summary, outputs, Usage.NONE);
  }

  /** A failure with its reason and no outputs. */
  public static StepResult failed(String reason) {
    return new StepResult(StepStatus.FAILED, reason, Map.of(), Usage.NONE);
  }

  /** A step that cannot run here, and why. */
  public static StepResult unavailable(String reason) {
    return new StepResult(StepStatus.UNAVAILABLE, reason, Map.of(), Usage.NONE);
  }

  /** Whether later steps may run: it succeeded or was skipped. */
  public boolean ok() {
    return status == StepStatus.SUCCEEDED || status == StepStatus.SKIPPED;
  }
}
