package dev.overnight.api.queue;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A task as the queue holds it: its spec, its status and its current lease.
 *
 * <p>An immutable snapshot; read it again with {@link TaskQueue#get(TaskId)} for fresh state. Safe
 * to share between threads. Queues create tasks; code outside a queue (a store of its own, a test)
 * builds one with {@link #builder()} or changes a copy with {@link #toBuilder()}. A class with a
 * builder rather than a record so that a new component never breaks a caller.
 *
 * @since 0.1.0
 */
public final class Task {
  /** Attempts a built task allows when its builder is not told otherwise. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /**
   * Starts a task. {@code id}, {@code title}, {@code prompt}, {@code opHash} and {@code createdAt}
   * are required; {@code updatedAt} defaults to {@code createdAt}; the rest to a pending task of
   * medium priority with no attempts, no agent, no lease and no metadata.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The value of a fact in the metadata (see {@link TaskFacts}), if present and well-formed. */
  public <T> Optional<T> fact(TaskFact<T> fact) {
    return fact.from(metadata);
  }

  /** Whether another attempt may start after this one fails. */
  public boolean hasAttemptsLeft() {
    return attempts < maxAttempts;
  }

  private final TaskId id;
  private final String title;
  private final String prompt;
  private final Optional<String> agentId;
  private final TaskPriority priority;
  private final String opHash;
  private final TaskStatus status;
  private final int attempts;
  private final int maxAttempts;
  private final Optional<String> workerId;
  private final Optional<Instant> leaseExpiresAt;
  private final Instant createdAt;
  private final Instant updatedAt;
  private final Optional<Instant> startedAt;
  private final Optional<Instant> finishedAt;
  private final Optional<String> lastError;
  private final Map<String, String> metadata;

  private Task(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.title = Objects.requireNonNull(b.title, "title");
    this.prompt = Objects.requireNonNull(b.prompt, "prompt");
    this.agentId = Objects.requireNonNull(b.agentId, "agentId");
    this.priority = Objects.requireNonNull(b.priority, "priority");
    this.opHash = Objects.requireNonNull(b.opHash, "opHash");
    this.status = Objects.requireNonNull(b.status, "status");
    this.attempts = b.attempts;
    this.maxAttempts = b.maxAttempts;
    this.workerId = Objects.requireNonNull(b.workerId, "workerId");
    this.leaseExpiresAt = Objects.requireNonNull(b.leaseExpiresAt, "leaseExpiresAt");
    this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt");
    this.updatedAt = Objects.requireNonNull(b.updatedAt, "updatedAt");
    this.startedAt = Objects.requireNonNull(b.startedAt, "startedAt");
    this.finishedAt = Objects.requireNonNull(b.finishedAt, "finishedAt");
    this.lastError = Objects.requireNonNull(b.lastError, "lastError");
    this.metadata = Map.copyOf(b.metadata);
  }

  /** Identity. */
  public TaskId id() {
    return id;
  }

  /** One-line summary. */
  public String title() {
    return title;
  }

  /** Instructions for the agent. */
  public String prompt() {
    return prompt;
  }

  /** The agent meant to do it, if chosen. */
  public Optional<String> agentId() {
    return agentId;
  }

  /** Claim order. */
  public TaskPriority priority() {
    return priority;
  }

  /** Deduplication key. */
  public String opHash() {
    return opHash;
  }

  /** Where the task is. */
  public TaskStatus status() {
    return status;
  }

  /** Attempts started so far (a claim starts one; a release gives it back). */
  public int attempts() {
    return attempts;
  }

  /** Attempts allowed. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Who holds the lease, while in progress. */
  public Optional<String> workerId() {
    return workerId;
  }

  /** When the lease runs out unless renewed, while in progress. */
  public Optional<Instant> leaseExpiresAt() {
    return leaseExpiresAt;
  }

  /** When it was enqueued. */
  public Instant createdAt() {
    return createdAt;
  }

  /** When it last changed. */
  public Instant updatedAt() {
    return updatedAt;
  }

  /** When it was first claimed. */
  public Optional<Instant> startedAt() {
    return startedAt;
  }

  /** When it reached its terminal status. */
  public Optional<Instant> finishedAt() {
    return finishedAt;
  }

  /** The reason of the last failure, if any. */
  public Optional<String> lastError() {
    return lastError;
  }

  /** Free-form facts, including what the coordinator recorded (see {@link TaskFacts}). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** A builder initialised from this value; change what differs and build. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Task other)) {
      return false;
    }
    return id.equals(other.id)
        && title.equals(other.title)
        && prompt.equals(other.prompt)
        && agentId.equals(other.agentId)
        && priority.equals(other.priority)
        && opHash.equals(other.opHash)
        && status.equals(other.status)
        && attempts == other.attempts
        && maxAttempts == other.maxAttempts
        && workerId.equals(other.workerId)
        && leaseExpiresAt.equals(other.leaseExpiresAt)
        && createdAt.equals(other.createdAt)
        && updatedAt.equals(other.updatedAt)
        && startedAt.equals(other.startedAt)
        && finishedAt.equals(other.finishedAt)
        && lastError.equals(other.lastError)
        && metadata.equals(other.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id,
        title,
        prompt,
        agentId,
        priority,
        opHash,
        status,
        attempts,
        maxAttempts,
        workerId,
        leaseExpiresAt,
        createdAt,
        updatedAt,
        startedAt,
        finishedAt,
        lastError,
        metadata);
  }

  @Override
  public String toString() {
    return "Task["
        + "id="
        + id
        + ", title="
        + title
        + ", prompt="
        + prompt
        + ", agentId="
        + agentId
        + ", priority="
        + priority
        + ", opHash="
        + opHash
        + ", status="
        + status
        + ", attempts="
        + attempts
        + ", maxAttempts="
        + maxAttempts
        + ", workerId="
        + workerId
        + ", leaseExpiresAt="
        + leaseExpiresAt
        + ", createdAt="
        + createdAt
        + ", updatedAt="
        + updatedAt
        + ", startedAt="
        + startedAt
        + ", finishedAt="
        + finishedAt
        + ", lastError="
        + lastError
        + ", metadata="
        + metadata
        + "]";
  }

  /**
   * Builds a {@link Task}. Not thread-safe; each setter replaces the previous value.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private TaskId id;
    private String title;
    private String prompt;
    private Optional<String> agentId = Optional.empty();
    private TaskPriority priority = TaskPriority.MEDIUM;
    private String opHash;
    private TaskStatus status = TaskStatus.PENDING;
    private int attempts = 0;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Optional<String> workerId = Optional.empty();
    private Optional<Instant> leaseExpiresAt = Optional.empty();
    private Instant createdAt;
    private Instant updatedAt;
    private Optional<Instant> startedAt = Optional.empty();
    private Optional<Instant> finishedAt = Optional.empty();
    private Optional<String> lastError = Optional.empty();
    private Map<String, String> metadata = Map.of();

    private Builder() {}

    private Builder(Task v) {
      id = v.id;
      title = v.title;
      prompt = v.prompt;
      agentId = v.agentId;
      priority = v.priority;
      opHash = v.opHash;
      status = v.status;
      attempts = v.attempts;
      maxAttempts = v.maxAttempts;
      workerId = v.workerId;
      leaseExpiresAt = v.leaseExpiresAt;
      createdAt = v.createdAt;
      updatedAt = v.updatedAt;
      startedAt = v.startedAt;
      finishedAt = v.finishedAt;
      lastError = v.lastError;
      metadata = v.metadata;
    }

    /** Sets {@link Task#id()}. */
    public Builder id(TaskId value) {
      id = Objects.requireNonNull(value, "id");
      return this;
    }

    /** Sets {@link Task#title()}. */
    public Builder title(String value) {
      title = Objects.requireNonNull(value, "title");
      return this;
    }

    /** Sets {@link Task#prompt()}. */
    public Builder prompt(String value) {
      prompt = Objects.requireNonNull(value, "prompt");
      return this;
    }

    /** Sets {@link Task#agentId()}. */
    public Builder agentId(String value) {
      agentId = Optional.of(value);
      return this;
    }

    /** Sets {@link Task#agentId()}, or clears it with an empty optional. */
    public Builder agentId(Optional<String> value) {
      agentId = Objects.requireNonNull(value, "agentId");
      return this;
    }

    /** Sets {@link Task#priority()}. */
    public Builder priority(TaskPriority value) {
      priority = Objects.requireNonNull(value, "priority");
      return this;
    }

    /** Sets {@link Task#opHash()}. */
    public Builder opHash(String value) {
      opHash = Objects.requireNonNull(value, "opHash");
      return this;
    }

    /** Sets {@link Task#status()}. */
    public Builder status(TaskStatus value) {
      status = Objects.requireNonNull(value, "status");
      return this;
    }

    /** Sets {@link Task#attempts()}. */
    public Builder attempts(int value) {
      attempts = value;
      return this;
    }

    /** Sets {@link Task#maxAttempts()}. */
    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    /** Sets {@link Task#workerId()}. */
    public Builder workerId(String value) {
      workerId = Optional.of(value);
      return this;
    }

    /** Sets {@link Task#workerId()}, or clears it with an empty optional. */
    public Builder workerId(Optional<String> value) {
      workerId = Objects.requireNonNull(value, "workerId");
      return this;
    }

    /** Sets {@link Task#leaseExpiresAt()}. */
    public Builder leaseExpiresAt(Instant value) {
      leaseExpiresAt = Optional.of(value);
      return this;
    }

    /** Sets {@link Task#leaseExpiresAt()}, or clears it with an empty optional. */
    public Builder leaseExpiresAt(Optional<Instant> value) {
      leaseExpiresAt = Objects.requireNonNull(value, "leaseExpiresAt");
      return this;
    }

    /** Sets {@link Task#createdAt()}. */
    public Builder createdAt(Instant value) {
      createdAt = Objects.requireNonNull(value, "createdAt");
      return this;
    }

    /** Sets {@link Task#updatedAt()}. */
    public Builder updatedAt(Instant value) {
      updatedAt = Objects.requireNonNull(value, "updatedAt");
      return this;
    }

    /** Sets {@link Task#startedAt()}. */
    public Builder startedAt(Instant value) {
      startedAt = Optional.of(value);
      return this;
    }

    /** Sets {@link Task#startedAt()}, or clears it with an empty optional. */
    public Builder startedAt(Optional<Instant> value) {
      startedAt = Objects.requireNonNull(value, "startedAt");
      return this;
    }

    /** Sets {@link Task#finishedAt()}. */
    public Builder finishedAt(Instant value) {
      finishedAt = Optional.of(value);
      return this;
    }

    /** Sets {@link Task#finishedAt()}, or clears it with an empty optional. */
    public Builder finishedAt(Optional<Instant> value) {
      finishedAt = Objects.requireNonNull(value, "finishedAt");
      return this;
    }

    /** Sets {@link Task#lastError()}. */
    public Builder lastError(String value) {
      lastError = Optional.of(value);
      return this;
    }

    /** Sets {@link Task#lastError()}, or clears it with an empty optional. */
    public Builder lastError(Optional<String> value) {
      lastError = Objects.requireNonNull(value, "lastError");
      return this;
    }

    /** Sets {@link Task#metadata()}. */
    public Builder metadata(Map<String, String> value) {
      metadata = Objects.requireNonNull(value, "metadata");
      return this;
    }

    /**
     * Builds the task.
     *
     * @throws IllegalStateException if a required component was not set, or the attempts are out of
     *     range
     */
    public Task build() {
      requireSet(id, "id");
      requireSet(title, "title");
      requireSet(prompt, "prompt");
      requireSet(opHash, "opHash");
      requireSet(createdAt, "createdAt");
      if (updatedAt == null) {
        updatedAt = createdAt;
      }
      if (attempts < 0 || maxAttempts < 1) {
        throw new IllegalStateException(
            "a task needs attempts >= 0 and maxAttempts >= 1, had "
                + attempts
                + " and "
                + maxAttempts);
      }
      return new Task(this);
    }

    private static void requireSet(Object value, String name) {
      if (value == null) {
        throw new IllegalStateException("a task needs " + name + "; set it on the builder");
      }
    }
  }
}
