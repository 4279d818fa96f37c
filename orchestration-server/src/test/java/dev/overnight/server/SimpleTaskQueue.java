package dev.overnight.server;

import dev.overnight.api.Cancellable;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.IllegalTransitionException;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskNotFoundException;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A small, complete in-memory {@link TaskQueue} for the server's tests: the server module may not
 * depend on the store implementations, and only needs a queue that keeps the contract.
 */
final class SimpleTaskQueue implements TaskQueue {
  private final InstantSource clock;
  private final Map<TaskId, Task> tasks = new LinkedHashMap<>();
  private final Map<TaskId, List<TaskEvent>> events = new HashMap<>();
  private final List<Consumer<TaskEvent>> listeners = new CopyOnWriteArrayList<>();
  private long sequence;

  SimpleTaskQueue(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public EnqueueResult enqueue(TaskSpec spec) {
    TaskEvent event;
    Task task;
    synchronized (this) {
      for (Task t : tasks.values()) {
        if (t.opHash().equals(spec.opHash()) && t.status().isLive()) {
          return new EnqueueResult(t, false);
        }
      }
      Instant now = clock.instant();
      task =
          new Task(
              TaskId.random(),
              spec.title(),
              spec.prompt(),
              spec.agentId(),
              spec.priority(),
              spec.opHash(),
              TaskStatus.PENDING,
              0,
              spec.maxAttempts().orElse(3),
              Optional.empty(),
              Optional.empty(),
              now,
              now,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              spec.metadata());
      tasks.put(task.id(), task);
      event = record(task, "api", TaskEventType.ENQUEUED, Optional.empty(), "enqueued");
    }
    fire(event);
    return new EnqueueResult(task, true);
  }

  @Override
  public Optional<Task> claimNext(String workerId, Duration lease) {
    Task claimed;
    TaskEvent event;
    synchronized (this) {
      Optional<Task> next =
          tasks.values().stream()
              .filter(t -> t.status() == TaskStatus.PENDING)
              .min(Comparator.comparing(Task::priority).thenComparing(Task::createdAt));
      if (next.isEmpty()) {
        return Optional.empty();
      }
      Task t = next.get();
      Instant now = clock.instant();
      claimed =
          copy(
              t,
              TaskStatus.IN_PROGRESS,
              t.attempts() + 1,
              Optional.of(workerId),
              Optional.of(now.plus(lease)),
              t.startedAt().or(() -> Optional.of(now)),
              Optional.empty(),
              t.lastError(),
              t.metadata());
      tasks.put(t.id(), claimed);
      event = record(claimed, workerId, TaskEventType.CLAIMED, Optional.of(t.status()), "claimed");
    }
    fire(event);
    return Optional.of(claimed);
  }

  @Override
  public synchronized Task heartbeat(TaskId id, String workerId, Duration lease) {
    Task t = held(id, workerId);
    Task renewed =
        copy(
            t,
            t.status(),
            t.attempts(),
            t.workerId(),
            Optional.of(clock.instant().plus(lease)),
            t.startedAt(),
            t.finishedAt(),
            t.lastError(),
            t.metadata());
    tasks.put(id, renewed);
    return renewed;
  }

  @Override
  public Task annotate(TaskId id, String workerId, Map<String, String> metadata) {
    return change(
        id,
        t -> {
          held(id, workerId);
          Map<String, String> merged = new LinkedHashMap<>(t.metadata());
          merged.putAll(metadata);
          return copy(
              t,
              t.status(),
              t.attempts(),
              t.workerId(),
              t.leaseExpiresAt(),
              t.startedAt(),
              t.finishedAt(),
              t.lastError(),
              merged);
        },
        workerId,
        TaskEventType.ANNOTATED,
        "annotated");
  }

  @Override
  public Task complete(TaskId id, String workerId, String summary, Map<String, String> metadata) {
    return change(
        id,
        t -> {
          held(id, workerId);
          Map<String, String> merged = new LinkedHashMap<>(t.metadata());
          merged.putAll(metadata);
          return finish(t, TaskStatus.COMPLETED, t.lastError(), merged);
        },
        workerId,
        TaskEventType.COMPLETED,
        summary);
  }

  @Override
  public Task fail(TaskId id, String workerId, String reason, Retry retry) {
    TaskEventType[] type = new TaskEventType[1];
    Task after =
        change(
            id,
            t -> {
              held(id, workerId);
              boolean again =
                  retry == Retry.RELEASE
                      || (retry == Retry.IF_ATTEMPTS_LEFT && t.hasAttemptsLeft());
              if (!again) {
                type[0] = TaskEventType.FAILED;
                return finish(t, TaskStatus.FAILED, Optional.of(reason), t.metadata());
              }
              type[0] =
                  retry == Retry.RELEASE ? TaskEventType.RELEASED : TaskEventType.RETRY_SCHEDULED;
              return copy(
                  t,
                  TaskStatus.PENDING,
                  retry == Retry.RELEASE ? t.attempts() - 1 : t.attempts(),
                  Optional.empty(),
                  Optional.empty(),
                  t.startedAt(),
                  Optional.empty(),
                  Optional.of(reason),
                  t.metadata());
            },
            workerId,
            null,
            reason);
    return after;
  }

  @Override
  public Task cancel(TaskId id, String actor, String reason) {
    return change(
        id,
        t -> {
          if (t.status().isTerminal()) {
            throw new IllegalTransitionException(
                "task " + id + " is " + t.status() + " and cannot be cancelled");
          }
          return finish(t, TaskStatus.CANCELLED, t.lastError(), t.metadata());
        },
        actor,
        TaskEventType.CANCELLED,
        reason);
  }

  @Override
  public Task retry(TaskId id, String actor, String reason) {
    return change(
        id,
        t -> {
          if (t.status() != TaskStatus.FAILED && t.status() != TaskStatus.CANCELLED) {
            throw new IllegalTransitionException(
                "task " + id + " is " + t.status() + "; only failed or cancelled tasks retry");
          }
          return copy(
              t,
              TaskStatus.PENDING,
              0,
              Optional.empty(),
              Optional.empty(),
              t.startedAt(),
              Optional.empty(),
              t.lastError(),
              t.metadata());
        },
        actor,
        TaskEventType.RETRIED,
        reason);
  }

  @Override
  public List<Task> recoverExpiredLeases() {
    return List.of();
  }

  @Override
  public synchronized Optional<Task> get(TaskId id) {
    return Optional.ofNullable(tasks.get(id));
  }

  @Override
  public synchronized Page<Task> list(TaskFilter filter) {
    List<Task> live =
        tasks.values().stream()
            .filter(filter::matches)
            .filter(t -> t.status().isLive())
            .sorted(Comparator.comparing(Task::priority).thenComparing(Task::createdAt))
            .toList();
    List<Task> done =
        tasks.values().stream()
            .filter(filter::matches)
            .filter(t -> t.status().isTerminal())
            .sorted(Comparator.comparing(Task::updatedAt).reversed())
            .toList();
    List<Task> all = new ArrayList<>(live);
    all.addAll(done);
    int from = Math.min(filter.offset(), all.size());
    int to = Math.min(from + filter.limit(), all.size());
    return new Page<>(all.subList(from, to), all.size(), filter.offset());
  }

  @Override
  public synchronized List<TaskEvent> events(TaskId id) {
    return List.copyOf(events.getOrDefault(id, List.of()));
  }

  @Override
  public int purge(Instant finishedBefore) {
    return 0;
  }

  @Override
  public Cancellable subscribe(Consumer<TaskEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public void close() {}

  private interface Change {
    Task apply(Task t);
  }

  private Task change(TaskId id, Change change, String actor, TaskEventType type, String reason) {
    Task after;
    TaskEvent event;
    synchronized (this) {
      Task before = tasks.get(id);
      if (before == null) {
        throw new TaskNotFoundException(id);
      }
      after = change.apply(before);
      tasks.put(id, after);
      TaskEventType t = type != null ? type : eventFor(after);
      event = record(after, actor, t, Optional.of(before.status()), reason);
    }
    fire(event);
    return after;
  }

  private static TaskEventType eventFor(Task after) {
    return after.status() == TaskStatus.FAILED
        ? TaskEventType.FAILED
        : TaskEventType.RETRY_SCHEDULED;
  }

  private Task held(TaskId id, String workerId) {
    Task t = tasks.get(id);
    if (t == null) {
      throw new TaskNotFoundException(id);
    }
    if (t.status() != TaskStatus.IN_PROGRESS || !t.workerId().equals(Optional.of(workerId))) {
      throw new IllegalTransitionException("task " + id + " is not held by " + workerId);
    }
    return t;
  }

  private Task finish(
      Task t, TaskStatus status, Optional<String> error, Map<String, String> metadata) {
    return copy(
        t,
        status,
        t.attempts(),
        Optional.empty(),
        Optional.empty(),
        t.startedAt(),
        Optional.of(clock.instant()),
        error,
        metadata);
  }

  private Task copy(
      Task t,
      TaskStatus status,
      int attempts,
      Optional<String> workerId,
      Optional<Instant> lease,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt,
      Optional<String> lastError,
      Map<String, String> metadata) {
    return new Task(
        t.id(),
        t.title(),
        t.prompt(),
        t.agentId(),
        t.priority(),
        t.opHash(),
        status,
        attempts,
        t.maxAttempts(),
        workerId,
        lease,
        t.createdAt(),
        clock.instant(),
        startedAt,
        finishedAt,
        lastError,
        metadata);
  }

  private TaskEvent record(
      Task task, String actor, TaskEventType type, Optional<TaskStatus> from, String reason) {
    TaskEvent event =
        new TaskEvent(
            ++sequence, task.id(), clock.instant(), actor, type, from, task.status(), reason);
    events.computeIfAbsent(task.id(), k -> new ArrayList<>()).add(event);
    return event;
  }

  private void fire(TaskEvent event) {
    listeners.forEach(l -> l.accept(event));
  }
}
