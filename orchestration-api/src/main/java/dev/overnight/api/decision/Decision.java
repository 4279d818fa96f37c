package dev.overnight.api.decision;

import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the decision engine chose, and why.
 *
 * @param title one-line summary
 * @param prompt the instructions for the agent
 * @param agentId the agent chosen (preferences and availability applied)
 * @param priority the task's priority
 * @param path which heuristic decided
 * @param targetFile the file the task is about, if any
 * @param rationale a human-readable explanation
 * @param confidence 0–1
 * @param signals every input that weighed on it
 * @param estimatedDuration how long the task is expected to take
 * @param metadata facts to carry into the task
 * @since 0.1.0
 */
public record Decision(
    String title,
    String prompt,
    String agentId,
    TaskPriority priority,
    DecisionPath path,
    Optional<String> targetFile,
    String rationale,
    double confidence,
    List<Signal> signals,
    Duration estimatedDuration,
    Map<String, String> metadata) {

  /** Validates and copies the components. */
  public Decision {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(targetFile, "targetFile");
    Objects.requireNonNull(rationale, "rationale");
    if (confidence < 0 || confidence > 1) {
      throw new IllegalArgumentException("confidence must be within 0..1, was " + confidence);
    }
    signals = List.copyOf(signals);
    Objects.requireNonNull(estimatedDuration, "estimatedDuration");
    metadata = Map.copyOf(metadata);
  }

  /**
   * The task this decision enqueues. Its title is {@linkplain TaskSpec#titleOf made one line}: a
   * decision's title may quote a file name, and a repository's file names may hold anything.
   */
  public TaskSpec toTaskSpec() {
    TaskSpec.Builder b =
        TaskSpec.builder(prompt)
            .title(TaskSpec.titleOf(title))
            .agentId(agentId)
            .priority(priority)
            .metadata(metadata);
    b.metadata(TaskFacts.DECISION_PATH.key(), path.key());
    b.metadata(TaskFacts.RATIONALE.key(), rationale);
    targetFile.ifPresent(f -> b.metadata(TaskFacts.TARGET_FILE.key(), f));
    return b.build();
  }
}
