package dev.overnight.api.agent;

import java.util.Objects;

/**
 * One step of an agent's plan.
 *
 * @param content what the step does
 * @param priority {@code high}, {@code medium} or {@code low}
 * @param status {@code pending}, {@code in_progress} or {@code completed}
 * @since 0.1.0
 */
public record PlanEntry(String content, String priority, String status) {
  /** Validates the components. */
  public PlanEntry {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(status, "status");
  }
}
