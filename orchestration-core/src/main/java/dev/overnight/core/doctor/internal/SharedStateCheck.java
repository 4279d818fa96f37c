package dev.overnight.core.doctor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.store.Store;
import dev.overnight.core.fleet.SchedulerIds;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.runtime.StatePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Warns when the state folder also holds another configuration's state: {@code daemon.json}, the
 * tasks' {@code config_id} facts or the store's scheduler history name another id than the one
 * examined, or {@code daemon.json} names another workspace (two configurations that kept one id).
 * Two configurations in one folder share one queue, so a task decided for one repository runs in
 * the other's.
 *
 * <p>Only reads. Looks at no more than {@value #MAX_TASKS} tasks, live ones first; a store that
 * cannot be read is a warning of its own, never an exception.
 */
public final class SharedStateCheck implements DoctorCheck {
  /** How many tasks are read at most: enough to see who used the folder lately. */
  static final int MAX_TASKS = 5000;

  private final String configId;
  private final Path workspace;
  private final StatePaths paths;
  private final Optional<Store> store;

  /**
   * Examines the state folder {@code paths} for configurations other than the one with {@code
   * configId} on {@code workspace}.
   *
   * @param store the folder's store, when it exists and could be opened
   */
  public SharedStateCheck(
      String configId, Path workspace, StatePaths paths, Optional<Store> store) {
    this.configId = Objects.requireNonNull(configId, "configId");
    this.workspace = workspace.toAbsolutePath().normalize();
    this.paths = Objects.requireNonNull(paths, "paths");
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public void run(Findings findings) {
    Map<String, List<String>> others = new TreeMap<>();
    daemonFile().flatMap(this::other).ifPresent(who -> evidence(others, who, "daemon.json"));
    store.ifPresent(
        s -> {
          try {
            taskCounts(s)
                .forEach(
                    (id, n) -> evidence(others, quoted(id), n + (n == 1 ? " task" : " tasks")));
            s.schedulerStateStore().schedulerIds().stream()
                // On a shared store each machine keeps its history as "<config id>@<machine>".
                .filter(id -> !SchedulerIds.configIdOf(id).equals(configId))
                .forEach(id -> evidence(others, quoted(id), "its schedule history"));
          } catch (RuntimeException e) {
            findings.warning(
                "could not read the database of "
                    + paths.root()
                    + " to see which configurations use it: "
                    + e.getMessage());
          }
        });
    others.forEach(
        (who, where) ->
            findings.warning(
                "state folder "
                    + paths.root()
                    + " is shared with configuration "
                    + who
                    + " ("
                    + String.join(", ", where)
                    + "): two configurations in one folder share one queue, so a task meant for"
                    + " one repository runs in the other's; give each its own id and state_dir"
                    + " (a config without state_dir gets a folder named after its id)"));
  }

  private static void evidence(Map<String, List<String>> others, String id, String where) {
    others.computeIfAbsent(id, k -> new ArrayList<>()).add(where);
  }

  private static String quoted(String id) {
    return "\"" + id + "\"";
  }

  /** Who the daemon file names, when it is another configuration than the one examined. */
  private Optional<String> other(JsonNode daemon) {
    String id = daemon.path("config_id").asText("");
    Optional<Path> theirs = path(daemon.get("workspace_root"));
    if (theirs.isPresent() && !theirs.get().equals(workspace)) {
      return Optional.of(quoted(id) + " of " + theirs.get());
    }
    return !id.isEmpty() && !id.equals(configId) ? Optional.of(quoted(id)) : Optional.empty();
  }

  private static Optional<Path> path(JsonNode text) {
    try {
      return text != null && text.isTextual()
          ? Optional.of(Path.of(text.asText()).toAbsolutePath().normalize())
          : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** What a daemon wrote in the folder, if anything readable. */
  private Optional<JsonNode> daemonFile() {
    if (!Files.isRegularFile(paths.daemonInfo())) {
      return Optional.empty();
    }
    try {
      return Optional.of(OvernightJson.mapper().readTree(paths.daemonInfo().toFile()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** How many tasks each other configuration decided, among the newest ones. */
  private Map<String, Long> taskCounts(Store s) {
    Map<String, Long> counts = new TreeMap<>();
    int offset = 0;
    while (offset < MAX_TASKS) {
      Page<Task> page = s.taskQueue().list(TaskFilter.all().page(offset, TaskFilter.MAX_LIMIT));
      for (Task t : page.items()) {
        TaskFacts.CONFIG_ID
            .from(t)
            .filter(id -> !id.equals(configId))
            .ifPresent(id -> counts.merge(id, 1L, Long::sum));
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      offset += page.items().size();
    }
    return counts;
  }
}
