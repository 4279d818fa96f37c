package dev.overnight.core.coordinator;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.conflict.OverlapPredictor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a cycle keeps tasks predicted to touch the same files apart ({@code conflicts.overlap}): a
 * claimed task that overlaps a running one is held ({@link HeldTasks}) with the running task and
 * the shared files recorded on it, and started once that task has ended; a task that was to stack
 * on a task that failed starts from the base instead.
 *
 * <p>Thread-safe as its {@link OverlapGuard}; called on the cycle's thread.
 */
final class OverlapHold {
  private static final Logger LOG = LoggerFactory.getLogger(OverlapHold.class);

  private final OverlapGuard guard;
  private final TaskQueue queue;
  private final String workerId;
  private final Supplier<List<Task>> running;
  private final Function<Task, String> branchOf;
  private final BiConsumer<Task, Map<String, String>> annotate;

  /**
   * Holds tasks {@code workerId} claimed from {@code queue} apart from the tasks {@code running}
   * tells, recording facts on them through {@code annotate}; {@code branchOf} names the branch a
   * task works on, for a task that stacks on it.
   */
  OverlapHold(
      OverlapGuard guard,
      TaskQueue queue,
      String workerId,
      Supplier<List<Task>> running,
      Function<Task, String> branchOf,
      BiConsumer<Task, Map<String, String>> annotate) {
    this.guard = guard;
    this.queue = queue;
    this.workerId = workerId;
    this.running = running;
    this.branchOf = branchOf;
    this.annotate = annotate;
  }

  /**
   * The first task {@code waiting} holds that no longer overlaps a running one, as it is now (with
   * what was recorded on it while it waited); empty when each still waits, or the one that may
   * start was cancelled meanwhile or its lease lost.
   */
  Optional<Task> nextReady(HeldTasks waiting) {
    return waiting
        .nextReady(t -> guard.check(t, running.get()).isEmpty())
        .flatMap(t -> queue.get(t.id()))
        .filter(
            t ->
                t.status() == TaskStatus.IN_PROGRESS && t.workerId().equals(Optional.of(workerId)));
  }

  /**
   * Why {@code task} waits, when it is predicted to touch the same files as a running task; then
   * which task and files are recorded on it.
   */
  Optional<String> overlapsRunning(Task task) {
    Optional<OverlapPredictor.Overlap> overlap = guard.check(task, running.get());
    overlap
        .map(o -> guard.facts(o, branchOf))
        // Recorded once: a task held again for the same reason writes nothing new.
        .filter(facts -> !task.metadata().entrySet().containsAll(facts.entrySet()))
        .ifPresent(facts -> annotate.accept(task, facts));
    Optional<String> reason = overlap.map(guard::reason);
    reason.ifPresent(r -> LOG.info("Task {} {}", task.id().shortId(), r));
    return reason;
  }

  /**
   * {@code task}, to start from the base instead when it was to stack on a task that failed or was
   * cancelled ({@code conflicts.overlap: stack}): that branch holds no work to build on, and a pull
   * request based on it would never merge. The reason is recorded on the task.
   */
  Task unstackedIfFirstFailed(Task task) {
    if (task.fact(TaskFacts.STACKED_ON).isEmpty()
        || task.fact(TaskFacts.STACK_DROPPED).isPresent()) {
      return task;
    }
    Optional<Task> first =
        task.fact(TaskFacts.OVERLAPS_TASK).flatMap(id -> queue.get(TaskId.of(id)));
    Optional<TaskStatus> ended =
        first.map(Task::status).filter(st -> st == TaskStatus.FAILED || st == TaskStatus.CANCELLED);
    if (ended.isEmpty()) {
      return task;
    }
    String why =
        "started from the base, not stacked on "
            + task.fact(TaskFacts.STACKED_ON).orElseThrow()
            + ": task "
            + first.get().id().shortId()
            + (ended.get() == TaskStatus.FAILED ? " failed" : " was cancelled");
    LOG.info("Task {} {}", task.id().shortId(), why);
    Map<String, String> facts = new HashMap<>();
    TaskFacts.STACK_DROPPED.put(facts, why);
    annotate.accept(task, facts);
    return queue.get(task.id()).orElse(task);
  }
}
