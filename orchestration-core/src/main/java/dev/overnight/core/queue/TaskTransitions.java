package dev.overnight.core.queue;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.IllegalTransitionException;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The status rules of {@link dev.overnight.api.queue.TaskQueue} as pure functions: given a task and
 * a request, the task after it and the event recording it, or an {@link IllegalTransitionException}
 * naming the task, both statuses and the rule broken.
 *
 * <p>Every Overnight queue applies these functions (the in-memory one to its maps, the SQLite one
 * inside a write transaction), so the stores agree to the word, error messages and event reasons
 * included. A new store (PostgreSQL, say) should use them too. Stateless and thread-safe.
 *
 * <p>Instants are kept to the millisecond, the precision the SQLite store records, so that moving a
 * queue between stores never changes what a reader sees.
 *
 * @since 0.1.0
 */
public final class TaskTransitions {

  /** The actor recorded for changes made through the API without a named actor (enqueue). */
  public static final String API_ACTOR = "api";

  /** The actor recorded for lease recovery. */
  public static final String QUEUE_ACTOR = "queue";

  /** The max attempts of a task whose spec names none, unless the queue is built with another. */
  public static final int DEFAULT_MAX_ATTEMPTS = OrchestrationConfig.DEFAULT_MAX_ATTEMPTS;

  private TaskTransitions() {}

  /** The clock's current instant, kept to the millisecond. */
  public static Instant now(InstantSource clock) {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** An instant kept to the millisecond, as stores record it. */
  public static Instant stored(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Checks a queue's default max attempts. */
  public static int requireMaxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
    }
    return maxAttempts;
  }

  /** Checks a worker id: not null, not blank. */
  public static String requireWorker(String workerId) {
    Objects.requireNonNull(workerId, "workerId");
    if (workerId.isBlank()) {
      throw new IllegalArgumentException("a worker id must not be blank");
    }
    return workerId;
  }

  /** Checks a lease: positive. */
  public static Duration requireLease(Duration lease) {
    Objects.requireNonNull(lease, "lease");
    if (lease.isNegative() || lease.isZero() || lease.toMillis() < 1) {
      throw new IllegalArgumentException("a lease must be at least 1 ms, was " + lease);
    }
    return lease;
  }

  /** A new pending task for a spec, and the event recording its arrival. */
  public static TaskChange enqueue(TaskId id, TaskSpec spec, int defaultMaxAttempts, Instant now) {
    Objects.requireNonNull(spec, "spec");
    Task task =
        Task.builder()
            .id(id)
            .title(spec.title())
            .prompt(spec.prompt())
            .agentId(spec.agentId())
            .priority(spec.priority())
            .opHash(spec.opHash())
            .maxAttempts(spec.maxAttempts().orElse(defaultMaxAttempts))
            .createdAt(now)
            .metadata(spec.metadata())
            .build();
    return new TaskChange(
        task, Optional.empty(), API_ACTOR, TaskEventType.ENQUEUED, enqueueReason(task));
  }

  /**
   * The claim of a pending task: in progress under the worker, an attempt counted, a lease until
   * {@code now + lease}.
   */
  public static TaskChange claim(Task task, String workerId, Duration lease, Instant now) {
    if (task.status() != TaskStatus.PENDING) {
      throw illegal(
          task,
          "claim",
          TaskStatus.IN_PROGRESS,
          "only a PENDING task can be claimed, by one worker at a time");
    }
    Task after =
        with(
            task,
            TaskStatus.IN_PROGRESS,
            task.attempts() + 1,
            Optional.of(workerId),
            Optional.of(stored(now.plus(lease))),
            now,
            task.startedAt().or(() -> Optional.of(now)),
            Optional.empty(),
            task.lastError(),
            task.metadata());
    return claimed(after);
  }

  /**
   * The change recording a claim a store made in one statement (the task already in progress), so
   * that its event reads as {@link #claim} would have written it.
   */
  public static TaskChange claimed(Task after) {
    return new TaskChange(
        after,
        Optional.of(TaskStatus.PENDING),
        after.workerId().orElseThrow(),
        TaskEventType.CLAIMED,
        "attempt "
            + after.attempts()
            + " of "
            + after.maxAttempts()
            + ", lease until "
            + after.leaseExpiresAt().orElseThrow());
  }

  /** The lease of a task the worker holds, extended to {@code now + lease}. Records no event. */
  public static Task heartbeat(Task task, String workerId, Duration lease, Instant now) {
    return heartbeatUntil(task, workerId, now.plus(lease), now);
  }

  /**
   * The lease of a task the worker holds, extended to {@code leaseUntil}, measured on a lease clock
   * of the store's own (see the SQLite store's), the task updated {@code now}. Records no event.
   */
  public static Task heartbeatUntil(Task task, String workerId, Instant leaseUntil, Instant now) {
    requireHeld(task, workerId, "heartbeat", TaskStatus.IN_PROGRESS);
    return with(
        task,
        TaskStatus.IN_PROGRESS,
        task.attempts(),
        task.workerId(),
        Optional.of(stored(leaseUntil)),
        now,
        task.startedAt(),
        task.finishedAt(),
        task.lastError(),
        task.metadata());
  }

  /** Metadata merged into a task the worker holds. */
  public static TaskChange annotate(
      Task task, String workerId, Map<String, String> metadata, Instant now) {
    requireHeld(task, workerId, "annotate", TaskStatus.IN_PROGRESS);
    Task after =
        with(
            task,
            TaskStatus.IN_PROGRESS,
            task.attempts(),
            task.workerId(),
            task.leaseExpiresAt(),
            now,
            task.startedAt(),
            task.finishedAt(),
            task.lastError(),
            merge(task.metadata(), metadata));
    return new TaskChange(
        after,
        Optional.of(task.status()),
        workerId,
        TaskEventType.ANNOTATED,
        "metadata " + new TreeSet<>(metadata.keySet()));
  }

  /** Metadata merged into a finished task, its status unchanged. */
  public static TaskChange note(
      Task task, String actor, Map<String, String> metadata, Instant now) {
    Objects.requireNonNull(actor, "actor");
    if (!task.status().isTerminal()) {
      throw illegal(
          task,
          "note",
          task.status(),
          "only a COMPLETED, FAILED or CANCELLED task can have facts noted after it finished");
    }
    Task after =
        with(
            task,
            task.status(),
            task.attempts(),
            task.workerId(),
            task.leaseExpiresAt(),
            now,
            task.startedAt(),
            task.finishedAt(),
            task.lastError(),
            merge(task.metadata(), metadata));
    return new TaskChange(
        after,
        Optional.of(task.status()),
        actor,
        TaskEventType.ANNOTATED,
        "metadata " + new TreeSet<>(metadata.keySet()));
  }

  /** A task the worker holds, completed. */
  public static TaskChange complete(
      Task task, String workerId, String summary, Map<String, String> metadata, Instant now) {
    Objects.requireNonNull(summary, "summary");
    requireHeld(task, workerId, "complete", TaskStatus.COMPLETED);
    Task after =
        with(
            task,
            TaskStatus.COMPLETED,
            task.attempts(),
            Optional.empty(),
            Optional.empty(),
            now,
            task.startedAt(),
            Optional.of(now),
            task.lastError(),
            merge(task.metadata(), metadata));
    return new TaskChange(
        after, Optional.of(task.status()), workerId, TaskEventType.COMPLETED, summary);
  }

  /**
   * A failed attempt of a task the worker holds: back to pending or failed, as {@code retry} says.
   */
  public static TaskChange fail(
      Task task, String workerId, String reason, Retry retry, Instant now) {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(retry, "retry");
    boolean release = retry == Retry.RELEASE;
    boolean again = release || (retry == Retry.IF_ATTEMPTS_LEFT && task.hasAttemptsLeft());
    TaskStatus target = again ? TaskStatus.PENDING : TaskStatus.FAILED;
    requireHeld(task, workerId, release ? "release" : "fail", target);
    Task after =
        with(
            task,
            target,
            release ? task.attempts() - 1 : task.attempts(),
            Optional.empty(),
            Optional.empty(),
            now,
            task.startedAt(),
            again ? Optional.empty() : Optional.of(now),
            release ? task.lastError() : Optional.of(reason),
            task.metadata());
    TaskEventType type =
        release
            ? TaskEventType.RELEASED
            : again ? TaskEventType.RETRY_SCHEDULED : TaskEventType.FAILED;
    String why =
        switch (type) {
          case RELEASED -> reason + " (released; the attempt is not counted)";
          case RETRY_SCHEDULED ->
              reason
                  + " (attempt "
                  + task.attempts()
                  + " of "
                  + task.maxAttempts()
                  + "; will retry)";
          default ->
              retry == Retry.NEVER
                  ? reason + " (not retryable)"
                  : reason + " (attempt " + task.attempts() + " of " + task.maxAttempts() + ")";
        };
    return new TaskChange(after, Optional.of(task.status()), workerId, type, why);
  }

  /** A pending or in-progress task, cancelled by {@code actor}. */
  public static TaskChange cancel(Task task, String actor, String reason, Instant now) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    if (!task.status().isLive()) {
      throw illegal(
          task,
          "cancel",
          TaskStatus.CANCELLED,
          "only a PENDING or IN_PROGRESS task can be cancelled");
    }
    Task after =
        with(
            task,
            TaskStatus.CANCELLED,
            task.attempts(),
            Optional.empty(),
            Optional.empty(),
            now,
            task.startedAt(),
            Optional.of(now),
            task.lastError(),
            task.metadata());
    return new TaskChange(
        after, Optional.of(task.status()), actor, TaskEventType.CANCELLED, reason);
  }

  /**
   * A failed or cancelled task, back to pending with its attempts reset.
   *
   * @param liveTwin a pending or in-progress task with the same op hash, if one exists: the retry
   *     is refused, since two live tasks would then do the same work
   */
  public static TaskChange retry(
      Task task, String actor, String reason, Optional<Task> liveTwin, Instant now) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    if (task.status() != TaskStatus.FAILED && task.status() != TaskStatus.CANCELLED) {
      throw illegal(
          task, "retry", TaskStatus.PENDING, "only a FAILED or CANCELLED task can be retried");
    }
    if (liveTwin.isPresent()) {
      Task twin = liveTwin.get();
      throw illegal(
          task,
          "retry",
          TaskStatus.PENDING,
          "task "
              + twin.id()
              + " with the same op hash "
              + task.opHash()
              + " is "
              + twin.status()
              + ", and only one live task may do the same work");
    }
    Task after =
        with(
            task,
            TaskStatus.PENDING,
            0,
            Optional.empty(),
            Optional.empty(),
            now,
            task.startedAt(),
            Optional.empty(),
            task.lastError(),
            task.metadata());
    return new TaskChange(after, Optional.of(task.status()), actor, TaskEventType.RETRIED, reason);
  }

  /** Whether an in-progress task's lease has run out at {@code now}. */
  public static boolean leaseExpired(Task task, Instant now) {
    return task.status() == TaskStatus.IN_PROGRESS
        && task.leaseExpiresAt().map(at -> !at.isAfter(now)).orElse(false);
  }

  /** An in-progress task whose lease ran out: back to pending, or failed with no attempts left. */
  public static TaskChange expireLease(Task task, Instant now) {
    return expireLease(task, now, now);
  }

  /**
   * {@link #expireLease(Task, Instant)} with the lease judged on a lease clock of the store's own
   * ({@code leaseNow}) and the task updated {@code now}.
   */
  public static TaskChange expireLease(Task task, Instant leaseNow, Instant now) {
    if (!leaseExpired(task, leaseNow)) {
      throw illegal(
          task,
          "recover",
          TaskStatus.PENDING,
          "only an IN_PROGRESS task whose lease has run out can be recovered");
    }
    return recovered(
        task,
        "lease of worker '"
            + task.workerId().orElse("?")
            + "' expired at "
            + task.leaseExpiresAt().orElseThrow(),
        now);
  }

  /**
   * An in-progress task whose worker is known to be dead, recovered before its lease runs out: back
   * to pending, or failed with no attempts left, as when the lease expires.
   *
   * @param why how the worker is known to be dead, for the event's reason
   * @throws IllegalTransitionException unless the task is in progress under {@code workerId}
   */
  public static TaskChange recoverFromDeadWorker(
      Task task, String workerId, String why, Instant now) {
    requireHeld(task, workerId, "recover", TaskStatus.PENDING);
    return recovered(
        task, "lease of worker '" + workerId + "' given up before it ran out: " + why, now);
  }

  private static TaskChange recovered(Task task, String lease, Instant now) {
    boolean again = task.hasAttemptsLeft();
    String lost = lease + " in attempt " + task.attempts() + " of " + task.maxAttempts();
    Task after =
        with(
            task,
            again ? TaskStatus.PENDING : TaskStatus.FAILED,
            task.attempts(),
            Optional.empty(),
            Optional.empty(),
            now,
            task.startedAt(),
            again ? Optional.empty() : Optional.of(now),
            again ? task.lastError() : Optional.of(lost),
            task.metadata());
    return new TaskChange(
        after,
        Optional.of(task.status()),
        QUEUE_ACTOR,
        TaskEventType.LEASE_EXPIRED,
        lost + (again ? "; back to pending" : "; no attempts left"));
  }

  /**
   * Throws unless {@code task} is in progress under {@code workerId}: what heartbeat, annotate,
   * complete and fail require.
   */
  public static void requireHeld(Task task, String workerId, String action, TaskStatus target) {
    requireWorker(workerId);
    if (task.status() != TaskStatus.IN_PROGRESS) {
      throw illegal(
          task,
          action,
          target,
          "only a task IN_PROGRESS under the worker holding its lease can be " + pastTense(action));
    }
    if (!task.workerId().equals(Optional.of(workerId))) {
      throw new IllegalTransitionException(
          "Cannot "
              + action
              + " task "
              + describe(task)
              + ": it is IN_PROGRESS under worker '"
              + task.workerId().orElse("?")
              + "', not '"
              + workerId
              + "'; rule: only the worker holding the lease can "
              + action
              + " it.");
    }
  }

  /** An {@link IllegalTransitionException} naming the task, both statuses and the rule broken. */
  public static IllegalTransitionException illegal(
      Task task, String action, TaskStatus target, String rule) {
    return new IllegalTransitionException(
        "Cannot "
            + action
            + " task "
            + describe(task)
            + ": it is "
            + task.status()
            + " and "
            + task.status()
            + " → "
            + target
            + " is not allowed here; rule: "
            + rule
            + ".");
  }

  private static String describe(Task task) {
    return task.id() + " (\"" + task.title() + "\")";
  }

  private static String pastTense(String action) {
    return switch (action) {
      case "heartbeat" -> "heartbeaten";
      case "annotate" -> "annotated";
      case "complete" -> "completed";
      case "release" -> "released";
      default -> action + "ed";
    };
  }

  private static String enqueueReason(Task task) {
    return "enqueued with priority "
        + task.priority()
        + ", at most "
        + task.maxAttempts()
        + (task.maxAttempts() == 1 ? " attempt" : " attempts");
  }

  private static Map<String, String> merge(Map<String, String> base, Map<String, String> extra) {
    Objects.requireNonNull(extra, "metadata");
    if (extra.isEmpty()) {
      return base;
    }
    Map<String, String> merged = new LinkedHashMap<>(base);
    merged.putAll(extra);
    return merged;
  }

  private static Task with(
      Task t,
      TaskStatus status,
      int attempts,
      Optional<String> workerId,
      Optional<Instant> leaseExpiresAt,
      Instant updatedAt,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt,
      Optional<String> lastError,
      Map<String, String> metadata) {
    return t.toBuilder()
        .status(status)
        .attempts(attempts)
        .workerId(workerId)
        .leaseExpiresAt(leaseExpiresAt)
        .updatedAt(updatedAt)
        .startedAt(startedAt)
        .finishedAt(finishedAt)
        .lastError(lastError)
        .metadata(metadata)
        .build();
  }
}
