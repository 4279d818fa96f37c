package dev.overnight.api.notify;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of a notification: a task and what became of it.
 *
 * @param taskId the task's id, when the line is about a task
 * @param title the task's title (or the agent's id, for a parked agent)
 * @param outcome what became of it, e.g. {@code completed}, {@code failed}, {@code parked}, or a
 *     pull request's new state, e.g. {@code pull request merged}
 * @param detail why, in words; empty when there is nothing to add
 * @param link where to look: the pull request opened, if any
 * @since 0.1.0
 */
public record NotificationItem(
    Optional<String> taskId, String title, String outcome, String detail, Optional<String> link) {

  /** Checks presence. */
  public NotificationItem {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(link, "link");
  }
}
