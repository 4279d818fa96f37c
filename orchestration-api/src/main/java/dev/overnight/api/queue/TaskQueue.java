package dev.overnight.api.queue;

import dev.overnight.api.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The persistent queue of a night's tasks: atomic claims with leases, retries, deduplication and an
 * event for every change.
 *
 * <p><b>Guarantees.</b> A task is handed to at most one worker at a time, even with several
 * processes on one store. A task whose worker dies is recovered by {@link #recoverExpiredLeases()}
 * once its lease runs out, back to {@code PENDING} (or {@code FAILED} when its attempts are spent),
 * so nothing is lost and nothing completes twice. Claims go by priority, then tasks that have run
 * before, then oldest first. Status moves follow {@link TaskStatus}; anything else throws {@link
 * IllegalTransitionException} and changes nothing.
 *
 * <p><b>Threading.</b> Implementations are thread-safe. Every method blocks on the store's I/O
 * (bounded by its busy timeout) and throws {@link TaskQueueException} when the store fails.
 * Listeners run on the calling thread after the change is durable and must not block.
 *
 * <p>Implementations: {@code InMemoryTaskQueue} (core), {@code SqliteTaskQueue}
 * (orchestration-sqlite) and {@code PostgresTaskQueue} (orchestration-postgres). All pass {@code
 * TaskQueueCompatibilityKit} (orchestration-testing).
 *
 * @since 0.1.0
 */
public interface TaskQueue extends AutoCloseable {

  /**
   * Adds a task, unless a pending or in-progress task has the same op hash, in which case that task
   * is returned. Finished tasks never block a new one.
   */
  EnqueueResult enqueue(TaskSpec spec);

  /**
   * Adds several tasks, deduplicated as {@link #enqueue} does, also among themselves: a spec whose
   * op hash matches an earlier spec of the same list returns that earlier task.
   *
   * <p>The default enqueues one by one. Overnight's queues override it to add the whole list in one
   * transaction: all of it or, when the store fails, none of it; listeners hear of every created
   * task once the list is durable.
   *
   * @return one result per spec, in the order given
   */
  default List<EnqueueResult> enqueueAll(List<TaskSpec> specs) {
    return specs.stream().map(this::enqueue).toList();
  }

  /**
   * Atomically claims the next pending task: highest priority, then a task that has run before (a
   * retried or released task, whose work so far resumes before new work starts), then oldest. Sets
   * the worker, a lease until now + {@code lease}, and counts an attempt.
   *
   * @return the claimed task, or empty when nothing is pending
   */
  Optional<Task> claimNext(String workerId, Duration lease);

  /**
   * Claims as {@link #claimNext(String, Duration)} does, but only among tasks this worker can run:
   * those whose {@linkplain TaskFacts#REQUIRED_LABELS required labels} are all among {@code
   * labels}. A task requiring nothing matches every worker. Tasks the worker cannot run are passed
   * over, not touched: they wait for a worker that can.
   *
   * <p>Overnight's queues filter inside the claim itself (in SQL for the SQLite and PostgreSQL
   * stores), so the next matching task is found in one step. The default, for queues that know no
   * labels, claims the next task and, if this worker cannot run it, gives it straight back ({@link
   * Retry#RELEASE}, no attempt counted) and returns empty: never a wrong task, but a worker whose
   * next task is another's finds nothing until that one is taken.
   *
   * @param labels the worker's labels (see {@link dev.overnight.api.fleet.Labels})
   * @return the claimed task, or empty when nothing this worker can run is pending
   */
  default Optional<Task> claimNext(String workerId, Set<String> labels, Duration lease) {
    Set<String> have = Set.copyOf(labels);
    Optional<Task> claimed = claimNext(workerId, lease);
    if (claimed.isEmpty()
        || have.containsAll(TaskFacts.REQUIRED_LABELS.from(claimed.get()).orElse(Set.of()))) {
      return claimed;
    }
    fail(
        claimed.get().id(), workerId, "this worker lacks a label the task requires", Retry.RELEASE);
    return Optional.empty();
  }

  /**
   * Claims as {@link #claimNext(String, Duration)} does, but only among the tasks {@code filter}
   * matches: those this worker's labels can run (as {@link #claimNext(String, Set, Duration)}) and
   * those carrying its required fact. Tasks that do not match are passed over, not touched.
   *
   * <p>Overnight's queues filter inside the claim itself (in SQL for the SQLite and PostgreSQL
   * stores). The default, for other queues, claims as the labels say and, if the task lacks the
   * required fact, gives it straight back ({@link Retry#RELEASE}, no attempt counted) and returns
   * empty: never a wrong task, but a task that matches finds nothing until the one ahead of it is
   * taken.
   *
   * @return the claimed task, or empty when nothing matching is pending
   */
  default Optional<Task> claimNext(String workerId, ClaimFilter filter, Duration lease) {
    Objects.requireNonNull(filter, "filter");
    Optional<Task> claimed =
        filter.workerLabels().isPresent()
            ? claimNext(workerId, filter.workerLabels().get(), lease)
            : claimNext(workerId, lease);
    if (claimed.isEmpty() || filter.matches(claimed.get())) {
      return claimed;
    }
    fail(claimed.get().id(), workerId, "this claim takes other tasks only", Retry.RELEASE);
    return Optional.empty();
  }

  /**
   * Extends the lease of a task the worker holds to now + {@code lease}.
   *
   * @throws IllegalTransitionException if the task is not in progress under this worker
   * @throws TaskNotFoundException if there is no such task
   */
  Task heartbeat(TaskId id, String workerId, Duration lease);

  /**
   * Records metadata on a task the worker holds (branch, session id, PR link), merged into its
   * metadata.
   *
   * @throws IllegalTransitionException if the task is not in progress under this worker
   */
  Task annotate(TaskId id, String workerId, Map<String, String> metadata);

  /**
   * Marks a task the worker holds as completed.
   *
   * @param summary what was done, in words (for the event history)
   * @param metadata facts to merge into the task's metadata
   * @throws IllegalTransitionException if the task is not in progress under this worker
   */
  Task complete(TaskId id, String workerId, String summary, Map<String, String> metadata);

  /**
   * Records a failed attempt of a task the worker holds; {@code retry} decides whether it goes back
   * to pending.
   *
   * @throws IllegalTransitionException if the task is not in progress under this worker
   */
  Task fail(TaskId id, String workerId, String reason, Retry retry);

  /**
   * Cancels a pending or in-progress task, whoever holds it.
   *
   * @param actor who cancels (for the event history)
   * @throws IllegalTransitionException if the task is already finished
   */
  Task cancel(TaskId id, String actor, String reason);

  /**
   * Records facts on a finished task, merged into its metadata: what became of its work afterwards,
   * such as its pull request merged or closed. The task's status does not change.
   *
   * @param actor who records them (for the event history)
   * @throws IllegalTransitionException if the task is not finished
   * @throws UnsupportedOperationException if this queue cannot record facts on finished tasks (the
   *     default)
   */
  default Task note(TaskId id, String actor, Map<String, String> metadata) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot record facts on a finished task");
  }

  /**
   * Puts a failed or cancelled task back to pending with its attempts reset.
   *
   * @throws IllegalTransitionException if the task is not failed or cancelled
   */
  Task retry(TaskId id, String actor, String reason);

  /**
   * Recovers every in-progress task whose lease has run out: back to pending, or failed when its
   * attempts are spent.
   *
   * @return the recovered tasks, in their new state
   */
  List<Task> recoverExpiredLeases();

  /**
   * Recovers every in-progress task {@code workerId} holds, however long its lease still runs: for
   * a worker known to be dead (the process that held a state folder was killed, and the one that
   * holds it now knows it), whose tasks would otherwise wait out their leases. Back to pending, or
   * failed when their attempts are spent, as {@link #recoverExpiredLeases()} does. Never call it
   * for a worker that may be alive: it would lose its tasks.
   *
   * <p>The default fails each such task as its worker ({@link Retry#IF_ATTEMPTS_LEFT}); Overnight's
   * queues override it to record a lease recovery instead.
   *
   * @param reason why the worker is known to be dead, for the event history
   * @return the recovered tasks, in their new state
   */
  default List<Task> recoverLeasesOf(String workerId, String reason) {
    List<TaskId> held = new ArrayList<>();
    TaskFilter inProgress = TaskFilter.withStatus(TaskStatus.IN_PROGRESS);
    Page<Task> page = list(inProgress.page(0, TaskFilter.MAX_LIMIT));
    while (true) {
      page.items().stream()
          .filter(t -> t.workerId().filter(workerId::equals).isPresent())
          .forEach(t -> held.add(t.id()));
      if (!page.hasMore()) {
        break;
      }
      page = list(inProgress.page(page.offset() + page.items().size(), TaskFilter.MAX_LIMIT));
    }
    List<Task> recovered = new ArrayList<>();
    for (TaskId id : held) {
      try {
        recovered.add(fail(id, workerId, reason, Retry.IF_ATTEMPTS_LEFT));
      } catch (IllegalTransitionException | TaskNotFoundException e) {
        // Finished or taken over meanwhile: no longer the dead worker's.
      }
    }
    return List.copyOf(recovered);
  }

  /**
   * Waits until a task may have become claimable, so that an idle worker need not poll: woken when
   * work is enqueued (or goes back to pending) through any process sharing the store, or when
   * {@code timeout} passes. A wake-up may be spurious (another worker claimed the task first) but
   * none is lost: work that arrives between this thread's last return from here and its next call
   * wakes that call at once. A thread's first call returns at once, since what came before it is
   * unknown. Claim after every {@code true}.
   *
   * <p>The default cannot tell and returns {@code false} at once: the caller then waits by its own
   * clock between claims. Stores shared over a network (PostgreSQL's {@code LISTEN}/{@code NOTIFY})
   * override it. Blocks the calling thread for at most {@code timeout} (plus scheduling delay).
   *
   * @return {@code true} when work may be ready, {@code false} when the timeout passed or this
   *     queue cannot tell
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  default boolean awaitWork(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    return false;
  }

  /** The task with this id, if any. */
  Optional<Task> get(TaskId id);

  /**
   * Which of {@code opHashes} a task of this queue carries, whatever its status (waiting, under
   * way, done, failed or cancelled): what a decision engine must move past. A lookup by op hash, so
   * a decision costs the same however long the queue's history grows.
   *
   * <p>The default pages through {@link #list}; Overnight's queues answer from an index.
   */
  default Set<String> takenOpHashes(Collection<String> opHashes) {
    Set<String> wanted = new HashSet<>(opHashes);
    Set<String> found = new HashSet<>();
    int offset = 0;
    while (!wanted.isEmpty()) {
      Page<Task> page = list(TaskFilter.all().page(offset, TaskFilter.MAX_LIMIT));
      for (Task t : page.items()) {
        if (wanted.remove(t.opHash())) {
          found.add(t.opHash());
        }
      }
      if (!page.hasMore()) {
        break;
      }
      offset += page.items().size();
    }
    return Set.copyOf(found);
  }

  /**
   * Lists tasks matching the filter: live statuses ({@code PENDING}, {@code IN_PROGRESS}) in claim
   * order, then finished ones most recent first.
   */
  Page<Task> list(TaskFilter filter);

  /** Every event of one task, oldest first. */
  List<TaskEvent> events(TaskId id);

  /**
   * The tasks {@code workerId} ran that changed at or after {@code since}: those whose latest claim
   * was this worker's, whatever became of them since (running under it, completed or failed by it,
   * given back by it, or recovered from it when its lease ran out). A task another worker claimed
   * after it is that worker's; a task no worker claimed is no worker's. What one machine of a fleet
   * reports as its night, on a queue the fleet shares.
   *
   * <p>The default pages through {@link #list} and reads the events of each task that changed in
   * time; Overnight's queues answer in one query.
   *
   * @return the tasks, oldest first (by when they were enqueued)
   */
  default List<Task> ranBy(String workerId, Instant since) {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(since, "since");
    List<Task> ran = new ArrayList<>();
    int offset = 0;
    while (true) {
      Page<Task> page = list(TaskFilter.all().page(offset, TaskFilter.MAX_LIMIT));
      for (Task t : page.items()) {
        if (!t.updatedAt().isBefore(since) && workerId.equals(lastClaimer(events(t.id())))) {
          ran.add(t);
        }
      }
      if (!page.hasMore()) {
        break;
      }
      offset += page.items().size();
    }
    ran.sort(Comparator.comparing(Task::createdAt));
    return List.copyOf(ran);
  }

  /** The worker of the latest claim among {@code events}, or {@code null} when none is a claim. */
  private static String lastClaimer(List<TaskEvent> events) {
    String claimer = null;
    for (TaskEvent e : events) {
      if (e.type() == TaskEventType.CLAIMED) {
        claimer = e.actor();
      }
    }
    return claimer;
  }

  /**
   * Deletes finished tasks (and their events) that finished before {@code finishedBefore}.
   *
   * @return how many tasks were deleted
   */
  int purge(Instant finishedBefore);

  /**
   * Subscribes to changes made through this queue instance. The listener runs on the thread that
   * made the change, after it is durable, and must not block; an exception from it is logged and
   * ignored. Closing the subscription stops the deliveries.
   */
  Subscription subscribe(Consumer<TaskEvent> listener);

  /** Releases the store. Further calls throw {@link TaskQueueException}. */
  @Override
  void close();
}
