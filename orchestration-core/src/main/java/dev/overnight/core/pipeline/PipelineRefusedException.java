package dev.overnight.core.pipeline;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.config.ConfigProblem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A pipeline was refused before any step ran: it asks for more than the local config allows, or its
 * manifest changed since it was accepted. Every reason is given, each with the JSON path of what
 * asked for it.
 *
 * @since 0.1.0
 */
public final class PipelineRefusedException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> reasons;

  /**
   * Creates the exception.
   *
   * @param pipeline the pipeline's name or reference
   * @param reasons at least one reason
   */
  public PipelineRefusedException(String pipeline, List<ConfigProblem> reasons) {
    super(
        "Refused pipeline "
            + pipeline
            + ":"
            + reasons.stream().sorted().map(p -> "\n  " + p).collect(Collectors.joining()));
    if (reasons.isEmpty()) {
      throw new IllegalArgumentException("a refusal needs a reason");
    }
    this.reasons = List.copyOf(reasons);
  }

  /** Why, each with the path in the manifest of what asked for it. */
  public List<ConfigProblem> reasons() {
    return reasons;
  }
}
