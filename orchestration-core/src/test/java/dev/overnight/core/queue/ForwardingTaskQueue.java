package dev.overnight.core.queue;

import dev.overnight.api.Subscription;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A queue that forwards the abstract methods of {@link TaskQueue} to another and leaves every
 * default method to the interface: tests of the defaults, and of callers of a queue that behaves
 * unlike Overnight's own, override what they need.
 */
public class ForwardingTaskQueue implements TaskQueue {
  protected final TaskQueue inner;

  public ForwardingTaskQueue(TaskQueue inner) {
    this.inner = inner;
  }

  @Override
  public EnqueueResult enqueue(TaskSpec spec) {
    return inner.enqueue(spec);
  }

  @Override
  public Optional<Task> claimNext(String workerId, Duration lease) {
    return inner.claimNext(workerId, lease);
  }

  @Override
  public Task heartbeat(TaskId id, String workerId, Duration lease) {
    return inner.heartbeat(id, workerId, lease);
  }

  @Override
  public Task annotate(TaskId id, String workerId, Map<String, String> metadata) {
    return inner.annotate(id, workerId, metadata);
  }

  @Override
  public Task note(TaskId id, String actor, Map<String, String> metadata) {
    return inner.note(id, actor, metadata);
  }

  @Override
  public Task complete(TaskId id, String workerId, String summary, Map<String, String> metadata) {
    return inner.complete(id, workerId, summary, metadata);
  }

  @Override
  public Task fail(TaskId id, String workerId, String reason, Retry retry) {
    return inner.fail(id, workerId, reason, retry);
  }

  @Override
  public Task cancel(TaskId id, String actor, String reason) {
    return inner.cancel(id, actor, reason);
  }

  @Override
  public Task retry(TaskId id, String actor, String reason) {
    return inner.retry(id, actor, reason);
  }

  @Override
  public List<Task> recoverExpiredLeases() {
    return inner.recoverExpiredLeases();
  }

  @Override
  public Optional<Task> get(TaskId id) {
    return inner.get(id);
  }

  @Override
  public Page<Task> list(TaskFilter filter) {
    return inner.list(filter);
  }

  @Override
  public List<TaskEvent> events(TaskId id) {
    return inner.events(id);
  }

  @Override
  public int purge(Instant finishedBefore) {
    return inner.purge(finishedBefore);
  }

  @Override
  public Subscription subscribe(Consumer<TaskEvent> listener) {
    return inner.subscribe(listener);
  }

  @Override
  public void close() {
    inner.close();
  }
}
