package dev.overnight.api.queue;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which tasks {@link TaskQueue#list} returns, and which page of them. Results are in claim order
 * (priority, then tasks that have run before, then oldest first) for live statuses, and most recent
 * first otherwise; see {@link TaskQueue#list}.
 *
 * @param statuses statuses to include; empty means all
 * @param agentId only tasks for this agent
 * @param offset how many matching tasks to skip
 * @param limit at most this many tasks, 1–1000
 * @since 0.1.0
 */
public record TaskFilter(
    Set<TaskStatus> statuses, Optional<String> agentId, int offset, int limit) {

  /** Largest page size. */
  public static final int MAX_LIMIT = 1000;

  /** Validates the components. */
  public TaskFilter {
    statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
    Objects.requireNonNull(agentId, "agentId");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, was " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
    }
  }

  /** The first 100 tasks of any status. */
  public static TaskFilter all() {
    return new TaskFilter(Set.of(), Optional.empty(), 0, 100);
  }

  /** The first 100 tasks in any of these statuses. */
  public static TaskFilter withStatus(TaskStatus first, TaskStatus... rest) {
    return new TaskFilter(EnumSet.of(first, rest), Optional.empty(), 0, 100);
  }

  /** This filter restricted to one agent. */
  public TaskFilter forAgent(String agent) {
    return new TaskFilter(statuses, Optional.of(agent), offset, limit);
  }

  /** This filter on another page. */
  public TaskFilter page(int newOffset, int newLimit) {
    return new TaskFilter(statuses, agentId, newOffset, newLimit);
  }

  /** Whether {@code task} matches the status and agent parts of this filter. */
  public boolean matches(Task task) {
    return (statuses.isEmpty() || statuses.contains(task.status()))
        && (agentId.isEmpty() || agentId.equals(task.agentId()));
  }
}
