package dev.overnight.api.fleet;

import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules for a worker's labels and a task's required labels: {@code os:linux}, {@code
 * agent:claude-code}, {@code repo:github.com/acme/shop}, {@code worker:<id>} or a user's own, such
 * as {@code gpu}. A worker may claim a task when the task's required labels are a subset of the
 * worker's.
 *
 * <p>A label is 1 to {@value #MAX_LENGTH} characters without whitespace, control characters or
 * commas (labels are stored as a comma-separated list in task metadata). Labels compare exactly:
 * {@code OS:Linux} is not {@code os:linux}.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class Labels {

  /** The longest label, in characters. */
  public static final int MAX_LENGTH = 200;

  /** The prefix of the operating system's label ({@code os:linux}, {@code os:macos}). */
  public static final String OS = "os:";

  /** The prefix of an available agent's label ({@code agent:codex}). */
  public static final String AGENT = "agent:";

  /** The prefix of the workspace repository's label ({@code repo:github.com/acme/shop}). */
  public static final String REPO = "repo:";

  /** The prefix of the label only one worker carries ({@code worker:<id>}). */
  public static final String WORKER = "worker:";

  private Labels() {}

  /** Why {@code label} is not a valid label, or empty when it is. */
  public static Optional<String> problem(String label) {
    if (label == null || label.isEmpty()) {
      return Optional.of("a label must not be empty");
    }
    if (label.length() > MAX_LENGTH) {
      return Optional.of(
          "a label has at most " + MAX_LENGTH + " characters, this one " + label.length());
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || c == ',') {
        return Optional.of(
            "a label has no spaces, control characters or commas: \"" + label + "\"");
      }
    }
    return Optional.empty();
  }

  /**
   * The labels, checked, sorted and without duplicates.
   *
   * @throws IllegalArgumentException if one of them breaks the rules above
   */
  public static Set<String> of(Collection<String> labels) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String label : labels) {
      problem(label)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException(p);
              });
      sorted.add(label);
    }
    return Collections.unmodifiableSortedSet(sorted);
  }

  /** Whether a worker with {@code workerLabels} may run a task requiring {@code required}. */
  public static boolean satisfies(Set<String> workerLabels, Set<String> required) {
    return workerLabels.containsAll(required);
  }

  /** The label that only the worker {@code workerId} carries. */
  public static String worker(String workerId) {
    return WORKER + workerId;
  }
}
