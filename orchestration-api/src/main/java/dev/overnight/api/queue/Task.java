package dev.overnight.api.queue;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A task as the queue holds it: its spec, its status and its current lease.
 *
 * <p>An immutable snapshot; read it again with {@link TaskQueue#get(TaskId)} for fresh state.
 *
 * @param id identity
 * @param title one-line summary
 * @param prompt instructions for the agent
 * @param agentId the agent meant to do it, if chosen
 * @param priority claim order
 * @param opHash deduplication key
 * @param status where the task is
 * @param attempts attempts started so far (a claim starts one; a release gives it back)
 * @param maxAttempts attempts allowed
 * @param workerId who holds the lease, while in progress
 * @param leaseExpiresAt when the lease runs out unless renewed, while in progress
 * @param createdAt when it was enqueued
 * @param updatedAt when it last changed
 * @param startedAt when it was first claimed
 * @param finishedAt when it reached its terminal status
 * @param lastError the reason of the last failure, if any
 * @param metadata free-form facts, including what the coordinator recorded (see {@link TaskFacts})
 * @since 0.1.0
 */
public record Task(
    TaskId id,
    String title,
    String prompt,
    Optional<String> agentId,
    TaskPriority priority,
    String opHash,
    TaskStatus status,
    int attempts,
    int maxAttempts,
    Optional<String> workerId,
    Optional<Instant> leaseExpiresAt,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<String> lastError,
    Map<String, String> metadata) {

  /** Validates and copies the components. */
  public Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(opHash, "opHash");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(lastError, "lastError");
    metadata = Map.copyOf(metadata);
  }

  /** The value of a fact in the metadata (see {@link TaskFacts}), if present and well-formed. */
  public <T> Optional<T> fact(TaskFact<T> fact) {
    return fact.from(metadata);
  }

  /** Whether another attempt may start after this one fails. */
  public boolean hasAttemptsLeft() {
    return attempts < maxAttempts;
  }
}
