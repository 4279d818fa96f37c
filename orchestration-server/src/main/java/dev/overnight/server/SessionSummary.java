package dev.overnight.server;

import dev.overnight.api.queue.TaskId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One agent session as the dashboard lists it.
 *
 * @param sessionId the session
 * @param agentId the agent
 * @param taskId the task it works on, if any
 * @param title the session's title, when the agent or the coordinator gave one
 * @param startedAt when its first update (or its start) was seen
 * @param lastUpdateAt when its last update was seen
 * @param updates how many updates it sent
 * @param active whether it is still running, as far as the backend knows
 * @since 0.1.0
 */
public record SessionSummary(
    String sessionId,
    String agentId,
    Optional<TaskId> taskId,
    Optional<String> title,
    Instant startedAt,
    Instant lastUpdateAt,
    long updates,
    boolean active) {

  /** Validates the components. */
  public SessionSummary {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(lastUpdateAt, "lastUpdateAt");
  }
}
