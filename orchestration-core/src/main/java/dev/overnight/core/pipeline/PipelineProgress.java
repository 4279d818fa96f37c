package dev.overnight.core.pipeline;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline task's progress in words, from its recorded facts alone (no manifest read): what
 * {@code plan}, the morning report and the dashboard show for it.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class PipelineProgress {
  private PipelineProgress() {}

  /**
   * One line, e.g. {@code pipeline builtin:upgrade-dependency: bump succeeded · build failed ·
   * running fix}; empty for a task that is not a pipeline.
   */
  public static Optional<String> line(Task task) {
    Optional<String> reference = TaskFacts.PIPELINE.from(task);
    if (reference.isEmpty()) {
      return Optional.empty();
    }
    Map<String, StepRecord> steps = StepRecord.on(task);
    List<String> parts = new ArrayList<>();
    steps.forEach((id, r) -> parts.add(id + " " + r.status().wireName()));
    TaskFacts.PIPELINE_STEP
        .from(task)
        .filter(s -> !steps.containsKey(s))
        .ifPresent(
            s ->
                parts.add(
                    (task.status() == TaskStatus.IN_PROGRESS ? "running " : "stopped in ") + s));
    return Optional.of(
        "pipeline "
            + reference.get()
            + ": "
            + (parts.isEmpty() ? "no step run yet" : String.join(" · ", parts)));
  }

  /**
   * One line per recorded step, for the report: {@code build — failed: exit 1 (1 attempt)}; empty
   * for a task that is not a pipeline.
   */
  public static List<String> steps(Task task) {
    List<String> lines = new ArrayList<>();
    StepRecord.on(task)
        .forEach(
            (id, r) ->
                lines.add(
                    id
                        + " — "
                        + r.status().wireName()
                        + (r.summary().isBlank() ? "" : ": " + r.summary())
                        + (r.attempts() > 1 ? " (" + r.attempts() + " attempts)" : "")));
    return lines;
  }
}
