package dev.overnight.api.queue;

import dev.overnight.api.fleet.Labels;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which pending tasks a claim may take ({@link TaskQueue#claimNext(String, ClaimFilter,
 * java.time.Duration)}): those a worker with these labels can run, and those carrying a fact, such
 * as {@link TaskFacts#FOLLOW_UP_OF} when only follow-ups on pull requests may run outside the
 * schedule's window. Tasks that do not match are passed over, not touched.
 *
 * <p>Immutable and thread-safe.
 *
 * @param workerLabels the labels of the worker, when claims go by {@linkplain
 *     TaskFacts#REQUIRED_LABELS required labels}; empty when any worker may run any task
 * @param requiredFact the metadata key a task must carry (any value); empty when none is needed
 * @since 0.1.0
 */
public record ClaimFilter(Optional<Set<String>> workerLabels, Optional<String> requiredFact) {

  /**
   * A metadata key a store can look up safely: letters, digits, {@code _}, {@code -}, {@code .}.
   */
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  /**
   * Checks the labels and the key.
   *
   * @throws IllegalArgumentException if a label is invalid or the key is not made of letters,
   *     digits, {@code _}, {@code -} and {@code .} (1 to 100 of them)
   */
  public ClaimFilter {
    workerLabels = Objects.requireNonNull(workerLabels, "workerLabels").map(Labels::of);
    Objects.requireNonNull(requiredFact, "requiredFact");
    requiredFact.ifPresent(
        k -> {
          if (!KEY.matcher(k).matches()) {
            throw new IllegalArgumentException("not a metadata key a claim can require: " + k);
          }
        });
  }

  /** Every pending task. */
  public static ClaimFilter any() {
    return new ClaimFilter(Optional.empty(), Optional.empty());
  }

  /** This filter, for a worker carrying {@code labels}. */
  public ClaimFilter withLabels(Set<String> labels) {
    return new ClaimFilter(Optional.of(labels), requiredFact);
  }

  /** This filter, taking only tasks that carry {@code fact}, whatever its value. */
  public ClaimFilter carrying(TaskFact<?> fact) {
    return new ClaimFilter(workerLabels, Optional.of(fact.key()));
  }

  /** Whether {@code task} may be claimed under this filter. */
  public boolean matches(Task task) {
    boolean runnable =
        workerLabels
            .map(have -> have.containsAll(TaskFacts.REQUIRED_LABELS.from(task).orElse(Set.of())))
            .orElse(true);
    return runnable && requiredFact.map(task.metadata()::containsKey).orElse(true);
  }
}
