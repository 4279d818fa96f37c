package dev.overnight.api.pipeline;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code with} keys an operation understands.
 *
 * @param required keys a step must give
 * @param optional keys a step may give
 * @since 0.1.0
 */
public record OperationParameters(Set<String> required, Set<String> optional) {

  /** Validates and copies the sets. */
  public OperationParameters {
    required = Set.copyOf(Objects.requireNonNull(required, "required"));
    optional = Set.copyOf(Objects.requireNonNull(optional, "optional"));
  }

  /** No parameters at all. */
  public static OperationParameters none() {
    return new OperationParameters(Set.of(), Set.of());
  }

  /** Every key understood, sorted. */
  public Set<String> all() {
    Set<String> all = new TreeSet<>(required);
    all.addAll(optional);
    return all;
  }
}
