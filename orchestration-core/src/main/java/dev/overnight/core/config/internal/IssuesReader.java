package dev.overnight.core.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.config.IssueSettings;
import dev.overnight.api.queue.TaskPriority;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the config's {@code issues} section: whether labelled GitHub issues become tasks, the
 * label, and the labels that set a task's priority, each problem with its JSON path.
 */
final class IssuesReader {
  /** GitHub's label names: up to 50 characters; a comma would split the list query. */
  private static final Pattern LABEL = Pattern.compile("^[^,]{1,50}$");

  private final Problems problems;

  IssuesReader(Problems problems) {
    this.problems = problems;
  }

  IssueSettings read(JsonObject root) {
    return root.object("issues").map(this::issues).orElse(IssueSettings.disabled());
  }

  private IssueSettings issues(JsonObject o) {
    boolean enabled = o.bool("enabled", false);
    String label = o.string("label").orElse(IssueSettings.DEFAULT_LABEL);
    checkLabel(o.pathOf("label"), label);
    Map<String, TaskPriority> priorities = new LinkedHashMap<>();
    o.object("priority_labels")
        .ifPresent(
            p -> {
              for (String name : p.keys()) {
                String path = p.pathOf(name);
                checkLabel(path, name);
                JsonNode v = p.raw(name).orElse(null);
                if (v == null || !v.isTextual()) {
                  problems.add(
                      path,
                      "expected \"high\", \"medium\" or \"low\" but found "
                          + (v == null ? "null" : JsonObject.describe(v)));
                  continue;
                }
                priority(path, v.asText()).ifPresent(pr -> priorities.put(name, pr));
                if (name.equals(label)) {
                  problems.add(
                      path, "\"" + name + "\" is the issues label itself: use another label");
                }
              }
              p.finish();
            });
    o.finish();
    if (problems.isEmpty() && !label.isBlank()) {
      return new IssueSettings(enabled, label, priorities);
    }
    return IssueSettings.disabled();
  }

  private Optional<TaskPriority> priority(String path, String text) {
    try {
      return Optional.of(TaskPriority.valueOf(text.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      problems.add(path, "\"" + text + "\" is not a priority: use \"high\", \"medium\" or \"low\"");
      return Optional.empty();
    }
  }

  private void checkLabel(String path, String label) {
    if (label.isBlank() || !LABEL.matcher(label).matches()) {
      problems.add(
          path, "\"" + label + "\" is not a label: 1 to 50 characters, not blank, without commas");
    }
  }
}
