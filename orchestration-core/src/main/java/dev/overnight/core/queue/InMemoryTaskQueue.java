package dev.overnight.core.queue;

import dev.overnight.api.Subscription;
import dev.overnight.api.queue.ClaimFilter;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskNotFoundException;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskQueueException;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.event.Listeners;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A {@link TaskQueue} in memory: the queue of tests, demos and single runs that need not survive
 * the process. It follows the same rules as the SQLite queue, to the word ({@link
 * TaskTransitions}), and passes the same compatibility kit.
 *
 * <p>Thread-safe: one lock guards the whole queue, and listeners run on the calling thread after
 * the lock is released. Nothing blocks beyond that lock.
 *
 * @since 0.1.0
 */
public final class InMemoryTaskQueue implements TaskQueue {

  private static final Comparator<Entry> LIST_ORDER =
      Comparator.<Entry>comparingInt(e -> e.task.status().isLive() ? 0 : 1)
          .thenComparing(
              (a, b) ->
                  a.task.status().isLive()
                      ? claimOrder(a, b)
                      : finishedOrder(b, a)); // finished: most recent first

  private final InstantSource clock;
  private final int defaultMaxAttempts;
  private final Supplier<TaskId> ids;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<TaskId, Entry> tasks = new HashMap<>();
  private final NavigableMap<ClaimKey, Entry> pending = new TreeMap<>();
  private final Map<String, Entry> liveByOpHash = new HashMap<>();
  private final Map<String, Integer> tasksByOpHash = new HashMap<>();
  private final Map<TaskId, List<TaskEvent>> events = new HashMap<>();
  private final Listeners<TaskEvent> listeners = new Listeners<>("task event");
  private long taskSequence;
  private long eventSequence;
  private boolean closed;

  private InMemoryTaskQueue(Builder builder) {
    this.clock = builder.clock;
    this.defaultMaxAttempts = builder.defaultMaxAttempts;
    this.ids = builder.ids;
  }

  /** A queue on this clock with the default max attempts. */
  public static InMemoryTaskQueue create(InstantSource clock) {
    return builder(clock).build();
  }

  /** Starts a queue on this clock. */
  public static Builder builder(InstantSource clock) {
    return new Builder(clock);
  }

  @Override
  public EnqueueResult enqueue(TaskSpec spec) {
    return enqueueAll(List.of(spec)).get(0);
  }

  @Override
  public List<EnqueueResult> enqueueAll(List<TaskSpec> specs) {
    List<TaskSpec> copy = List.copyOf(specs);
    List<EnqueueResult> results = new ArrayList<>(copy.size());
    List<TaskEvent> published = new ArrayList<>();
    lock.lock();
    try {
      ensureOpen();
      Instant now = TaskTransitions.now(clock);
      for (TaskSpec spec : copy) {
        Entry live = liveByOpHash.get(spec.opHash());
        if (live != null) {
          results.add(new EnqueueResult(live.task, false));
          continue;
        }
        TaskChange change = TaskTransitions.enqueue(ids.get(), spec, defaultMaxAttempts, now);
        if (tasks.containsKey(change.after().id())) {
          throw new TaskQueueException("Task id " + change.after().id() + " is already taken");
        }
        Entry entry = new Entry(++taskSequence, change.after());
        tasks.put(entry.task.id(), entry);
        tasksByOpHash.merge(entry.task.opHash(), 1, Integer::sum);
        index(entry);
        published.add(record(change));
        results.add(new EnqueueResult(entry.task, true));
      }
    } finally {
      lock.unlock();
    }
    listeners.publishAll(published);
    return List.copyOf(results);
  }

  @Override
  public Optional<Task> claimNext(String workerId, Duration lease) {
    return claim(workerId, lease, task -> true);
  }

  /** {@inheritDoc} Here the first pending task in claim order that the worker can run. */
  @Override
  public Optional<Task> claimNext(String workerId, Set<String> labels, Duration lease) {
    Set<String> have = Set.copyOf(labels);
    return claim(
        workerId,
        lease,
        task -> have.containsAll(TaskFacts.REQUIRED_LABELS.from(task).orElse(Set.of())));
  }

  /** {@inheritDoc} Here the first pending task in claim order that the filter matches. */
  @Override
  public Optional<Task> claimNext(String workerId, ClaimFilter filter, Duration lease) {
    Objects.requireNonNull(filter, "filter");
    return claim(workerId, lease, filter::matches);
  }

  private Optional<Task> claim(String workerId, Duration lease, Predicate<Task> canRun) {
    TaskTransitions.requireWorker(workerId);
    TaskTransitions.requireLease(lease);
    TaskEvent event;
    Task claimed;
    lock.lock();
    try {
      ensureOpen();
      Entry entry = null;
      for (Entry candidate : pending.values()) {
        if (canRun.test(candidate.task)) {
          entry = candidate;
          break;
        }
      }
      if (entry == null) {
        return Optional.empty();
      }
      TaskChange change =
          TaskTransitions.claim(entry.task, workerId, lease, TaskTransitions.now(clock));
      event = apply(entry, change);
      claimed = entry.task;
    } finally {
      lock.unlock();
    }
    listeners.publish(event);
    return Optional.of(claimed);
  }

  @Override
  public Task heartbeat(TaskId id, String workerId, Duration lease) {
    TaskTransitions.requireLease(lease);
    lock.lock();
    try {
      ensureOpen();
      Entry entry = find(id);
      entry.task =
          TaskTransitions.heartbeat(entry.task, workerId, lease, TaskTransitions.now(clock));
      return entry.task;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Task annotate(TaskId id, String workerId, Map<String, String> metadata) {
    return change(id, t -> TaskTransitions.annotate(t, workerId, metadata, now()));
  }

  @Override
  public Task note(TaskId id, String actor, Map<String, String> metadata) {
    return change(id, t -> TaskTransitions.note(t, actor, metadata, now()));
  }

  @Override
  public Task complete(TaskId id, String workerId, String summary, Map<String, String> metadata) {
    return change(id, t -> TaskTransitions.complete(t, workerId, summary, metadata, now()));
  }

  @Override
  public Task fail(TaskId id, String workerId, String reason, Retry retry) {
    return change(id, t -> TaskTransitions.fail(t, workerId, reason, retry, now()));
  }

  @Override
  public Task cancel(TaskId id, String actor, String reason) {
    return change(id, t -> TaskTransitions.cancel(t, actor, reason, now()));
  }

  @Override
  public Task retry(TaskId id, String actor, String reason) {
    return change(
        id,
        t -> {
          Optional<Task> twin = Optional.ofNullable(liveByOpHash.get(t.opHash())).map(e -> e.task);
          return TaskTransitions.retry(t, actor, reason, twin, now());
        });
  }

  @Override
  public List<Task> recoverExpiredLeases() {
    List<Task> recovered = new ArrayList<>();
    List<TaskEvent> published = new ArrayList<>();
    lock.lock();
    try {
      ensureOpen();
      Instant now = TaskTransitions.now(clock);
      List<Entry> expired =
          tasks.values().stream()
              .filter(e -> TaskTransitions.leaseExpired(e.task, now))
              .sorted(InMemoryTaskQueue::claimOrder)
              .toList();
      for (Entry entry : expired) {
        published.add(apply(entry, TaskTransitions.expireLease(entry.task, now)));
        recovered.add(entry.task);
      }
    } finally {
      lock.unlock();
    }
    listeners.publishAll(published);
    return List.copyOf(recovered);
  }

  @Override
  public List<Task> recoverLeasesOf(String workerId, String reason) {
    TaskTransitions.requireWorker(workerId);
    Objects.requireNonNull(reason, "reason");
    List<Task> recovered = new ArrayList<>();
    List<TaskEvent> published = new ArrayList<>();
    lock.lock();
    try {
      ensureOpen();
      Instant now = TaskTransitions.now(clock);
      List<Entry> held =
          tasks.values().stream()
              .filter(e -> e.task.status() == TaskStatus.IN_PROGRESS)
              .filter(e -> e.task.workerId().filter(workerId::equals).isPresent())
              .sorted(InMemoryTaskQueue::claimOrder)
              .toList();
      for (Entry entry : held) {
        published.add(
            apply(entry, TaskTransitions.recoverFromDeadWorker(entry.task, workerId, reason, now)));
        recovered.add(entry.task);
      }
    } finally {
      lock.unlock();
    }
    listeners.publishAll(published);
    return List.copyOf(recovered);
  }

  @Override
  public Optional<Task> get(TaskId id) {
    Objects.requireNonNull(id, "id");
    lock.lock();
    try {
      ensureOpen();
      return Optional.ofNullable(tasks.get(id)).map(e -> e.task);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Page<Task> list(TaskFilter filter) {
    Objects.requireNonNull(filter, "filter");
    lock.lock();
    try {
      ensureOpen();
      List<Task> matching =
          tasks.values().stream()
              .filter(e -> filter.matches(e.task))
              .sorted(LIST_ORDER)
              .map(e -> e.task)
              .toList();
      int from = Math.min(filter.offset(), matching.size());
      int to = Math.min(from + filter.limit(), matching.size());
      return new Page<>(matching.subList(from, to), matching.size(), filter.offset());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<TaskEvent> events(TaskId id) {
    Objects.requireNonNull(id, "id");
    lock.lock();
    try {
      ensureOpen();
      return List.copyOf(events.getOrDefault(id, List.of()));
    } finally {
      lock.unlock();
    }
  }

  /** {@inheritDoc} Here from the latest claim each task remembers. */
  @Override
  public List<Task> ranBy(String workerId, Instant since) {
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(since, "since");
    lock.lock();
    try {
      ensureOpen();
      return tasks.values().stream()
          .filter(e -> !e.task.updatedAt().isBefore(since))
          .filter(e -> e.lastClaimer.filter(workerId::equals).isPresent())
          .sorted(
              Comparator.<Entry, Instant>comparing(e -> e.task.createdAt())
                  .thenComparingLong(e -> e.sequence))
          .map(e -> e.task)
          .toList();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Set<String> takenOpHashes(Collection<String> opHashes) {
    lock.lock();
    try {
      ensureOpen();
      Set<String> found = new HashSet<>();
      for (String h : opHashes) {
        if (tasksByOpHash.containsKey(h)) {
          found.add(h);
        }
      }
      return Set.copyOf(found);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int purge(Instant finishedBefore) {
    Objects.requireNonNull(finishedBefore, "finishedBefore");
    lock.lock();
    try {
      ensureOpen();
      List<Entry> old =
          tasks.values().stream()
              .filter(e -> e.task.status().isTerminal())
              .filter(e -> e.task.finishedAt().map(at -> at.isBefore(finishedBefore)).orElse(false))
              .toList();
      for (Entry entry : old) {
        tasks.remove(entry.task.id());
        events.remove(entry.task.id());
        tasksByOpHash.computeIfPresent(entry.task.opHash(), (h, n) -> n > 1 ? n - 1 : null);
      }
      return old.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Subscription subscribe(Consumer<TaskEvent> listener) {
    return listeners.subscribe(listener);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "InMemoryTaskQueue";
  }

  private interface Transition {
    TaskChange apply(Task task);
  }

  private Task change(TaskId id, Transition transition) {
    Objects.requireNonNull(id, "id");
    TaskEvent event;
    Task after;
    lock.lock();
    try {
      ensureOpen();
      Entry entry = find(id);
      event = apply(entry, transition.apply(entry.task));
      after = entry.task;
    } finally {
      lock.unlock();
    }
    listeners.publish(event);
    return after;
  }

  private Instant now() {
    return TaskTransitions.now(clock);
  }

  private Entry find(TaskId id) {
    Entry entry = tasks.get(id);
    if (entry == null) {
      throw new TaskNotFoundException(id);
    }
    return entry;
  }

  private TaskEvent apply(Entry entry, TaskChange change) {
    unindex(entry);
    entry.task = change.after();
    if (change.type() == TaskEventType.CLAIMED) {
      entry.lastClaimer = Optional.of(change.actor());
    }
    index(entry);
    return record(change);
  }

  private TaskEvent record(TaskChange change) {
    TaskEvent event = change.toEvent(++eventSequence);
    events.computeIfAbsent(event.taskId(), k -> new ArrayList<>()).add(event);
    return event;
  }

  private void index(Entry entry) {
    if (entry.task.status() == TaskStatus.PENDING) {
      pending.put(entry.claimKey(), entry);
    }
    if (entry.task.status().isLive()) {
      liveByOpHash.put(entry.task.opHash(), entry);
    }
  }

  private void unindex(Entry entry) {
    if (entry.task.status() == TaskStatus.PENDING) {
      pending.remove(entry.claimKey());
    }
    if (entry.task.status().isLive()) {
      liveByOpHash.remove(entry.task.opHash(), entry);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new TaskQueueException("The in-memory task queue is closed");
    }
  }

  private static int claimOrder(Entry a, Entry b) {
    return a.claimKey().compareTo(b.claimKey());
  }

  private static int finishedOrder(Entry a, Entry b) {
    int byTime =
        a.task.finishedAt().orElse(Instant.MIN).compareTo(b.task.finishedAt().orElse(Instant.MIN));
    return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
  }

  private static final class Entry {
    final long sequence;
    Task task;
    // The worker of the latest claim: whose task it is in a report of its night.
    Optional<String> lastClaimer = Optional.empty();

    Entry(long sequence, Task task) {
      this.sequence = sequence;
      this.task = task;
    }

    ClaimKey claimKey() {
      return new ClaimKey(task.priority().rank(), task.startedAt().isEmpty(), sequence);
    }
  }

  /** Priority, then tasks that have run before (their work so far resumes), then oldest. */
  private record ClaimKey(int rank, boolean fresh, long sequence) implements Comparable<ClaimKey> {
    private static final Comparator<ClaimKey> ORDER =
        Comparator.comparingInt(ClaimKey::rank)
            .thenComparing(ClaimKey::fresh)
            .thenComparingLong(ClaimKey::sequence);

    @Override
    public int compareTo(ClaimKey o) {
      return ORDER.compare(this, o);
    }
  }

  /** Builds an {@link InMemoryTaskQueue}. Not thread-safe. */
  public static final class Builder {
    private final InstantSource clock;
    private int defaultMaxAttempts = TaskTransitions.DEFAULT_MAX_ATTEMPTS;
    private Supplier<TaskId> ids = TaskId::random;

    private Builder(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Attempts a task gets when its spec names none (default 3). */
    public Builder defaultMaxAttempts(int value) {
      defaultMaxAttempts = TaskTransitions.requireMaxAttempts(value);
      return this;
    }

    /** Where new task ids come from (default {@link TaskId#random()}). */
    public Builder ids(Supplier<TaskId> value) {
      ids = Objects.requireNonNull(value, "ids");
      return this;
    }

    /** Builds the queue. */
    public InMemoryTaskQueue build() {
      return new InMemoryTaskQueue(this);
    }
  }
}
