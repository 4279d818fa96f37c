package dev.overnight.api.agent;

import dev.overnight.api.queue.TaskId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SessionUpdate} with where it came from: the envelope the session update hub stores,
 * replays and broadcasts.
 *
 * @param sessionId the agent session
 * @param agentId the agent
 * @param taskId the task the session works on, if any
 * @param sequence position within the session, from 1, without gaps
 * @param at when it was received
 * @param update the update
 * @since 0.1.0
 */
public record SessionEvent(
    String sessionId,
    String agentId,
    Optional<TaskId> taskId,
    long sequence,
    Instant at,
    SessionUpdate update) {

  /** Validates the components. */
  public SessionEvent {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(update, "update");
  }
}
