package dev.overnight.api.pipeline;

import java.util.Locale;

/**
 * How a pipeline step ended. A manifest's conditions name these in lower case ({@code
 * build.failed}).
 *
 * @since 0.1.0
 */
public enum StepStatus {
  /** The step did its job. */
  SUCCEEDED,
  /** The step ran and did not do its job, after its retries. */
  FAILED,
  /** The step's condition was false, so it did not run. */
  SKIPPED,
  /** The step cannot run here (a service it needs is not available); counts as a failure. */
  UNAVAILABLE;

  /** The name conditions and JSON use: {@code succeeded}, {@code failed}, … */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
