package dev.overnight.core.hub;

import dev.overnight.api.queue.TaskId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the hub knows about one session: the task ↔ session ↔ agent mapping, and how far it got.
 *
 * @param sessionId the agent session
 * @param agentId the agent working in it
 * @param taskId the task it works on, if any
 * @param startedAt when the hub first heard of it
 * @param endedAt when it ended, if it has
 * @param lastSequence the sequence number of its latest event, 0 before the first
 * @since 0.1.0
 */
public record HubSession(
    String sessionId,
    String agentId,
    Optional<TaskId> taskId,
    Instant startedAt,
    Optional<Instant> endedAt,
    long lastSequence) {

  /** Validates the components. */
  public HubSession {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
  }

  /** Whether the session is still running. */
  public boolean active() {
    return endedAt.isEmpty();
  }
}
