package dev.overnight.api.config;

import dev.overnight.api.queue.TaskPriority;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether GitHub issues of the workspace's repository become tasks ({@code issues}), and which: the
 * open issues carrying {@link #label()} are queued once each, their priority taken from the first
 * of {@link #priorityLabels()} they carry; removing the label, or closing the issue, cancels a task
 * that has not started. Off by default.
 *
 * @param enabled whether issues are read at all
 * @param label the label that makes an issue a task
 * @param priorityLabels labels that set a task's priority, in the order they are tried; an issue
 *     with none of them is {@link TaskPriority#MEDIUM}
 * @since 0.1.0
 */
public record IssueSettings(
    boolean enabled, String label, Map<String, TaskPriority> priorityLabels) {

  /** The label that makes an issue a task unless the config names another. */
  public static final String DEFAULT_LABEL = "overnight";

  /** Validates and copies the components. */
  public IssueSettings {
    Objects.requireNonNull(label, "label");
    if (label.isBlank()) {
      throw new IllegalArgumentException("label must not be blank");
    }
    priorityLabels = Collections.unmodifiableMap(new LinkedHashMap<>(priorityLabels));
  }

  /** Issues are not read. */
  public static IssueSettings disabled() {
    return new IssueSettings(false, DEFAULT_LABEL, Map.of());
  }

  /** Issues labelled {@code label} become tasks, all of medium priority. */
  public static IssueSettings labelled(String label) {
    return new IssueSettings(true, label, Map.of());
  }

  /** The priority an issue with these labels gets: the first priority label it carries. */
  public Optional<TaskPriority> priorityOf(Iterable<String> issueLabels) {
    for (Map.Entry<String, TaskPriority> e : priorityLabels.entrySet()) {
      for (String l : issueLabels) {
        if (l.equals(e.getKey())) {
          return Optional.of(e.getValue());
        }
      }
    }
    return Optional.empty();
  }
}
