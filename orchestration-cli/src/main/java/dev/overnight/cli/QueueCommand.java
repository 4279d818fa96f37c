package dev.overnight.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.fleet.Labels;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.store.Store;
import dev.overnight.core.fleet.WorkerLookup;
import dev.overnight.core.fleet.WorkerPresence;
import dev.overnight.core.json.OvernightJson;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code overnight queue}: the tasks of a state folder.
 *
 * @since 0.1.0
 */
@Command(
    name = "queue",
    mixinStandardHelpOptions = true,
    description = "Add, list, show, cancel or retry tasks.",
    subcommands = {
      QueueCommand.Add.class,
      QueueCommand.ListTasks.class,
      QueueCommand.Show.class,
      QueueCommand.Cancel.class,
      QueueCommand.Retry.class
    })
public final class QueueCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: add, list, show, cancel or retry");
  }

  /**
   * Finds a task by its id or a unique prefix of it (the short ids the CLI prints).
   *
   * @throws ParameterException if no task or several match, or {@code idOrPrefix} names none
   */
  static Task find(TaskQueue queue, String idOrPrefix, CommandSpec spec) {
    String prefix = idOrPrefix.strip().replace("-", "").toLowerCase(Locale.ROOT);
    if (prefix.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "'"
              + TerminalText.line(idOrPrefix)
              + "' is not a task id: give the id, or its start as queue list shows it");
    }
    Optional<Task> exact = queue.get(TaskId.of(idOrPrefix));
    if (exact.isPresent()) {
      return exact.get();
    }
    List<Task> matches =
        all(queue).stream()
            .filter(t -> t.id().value().replace("-", "").startsWith(prefix))
            .toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    throw new ParameterException(
        spec.commandLine(),
        matches.isEmpty()
            ? "No task " + TerminalText.line(idOrPrefix)
            : "Several tasks start with "
                + TerminalText.line(idOrPrefix)
                + ": give more of the id");
  }

  static List<Task> all(TaskQueue queue) {
    java.util.ArrayList<Task> all = new java.util.ArrayList<>();
    int offset = 0;
    while (true) {
      Page<Task> page = queue.list(TaskFilter.all().page(offset, TaskFilter.MAX_LIMIT));
      all.addAll(page.items());
      if (!page.hasMore()) {
        return all;
      }
      offset += page.items().size();
    }
  }

  /** Applies one status change to the task {@code id} names and prints the task after it. */
  private static int change(
      CommandSpec spec,
      StateOptions state,
      String id,
      String verb,
      BiFunction<TaskQueue, TaskId, Task> change) {
    try (Store store = state.openStore(state.paths())) {
      Task after = change.apply(store.taskQueue(), find(store.taskQueue(), id, spec).id());
      spec.commandLine().getOut().println(verb + line(after));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  /** One row of {@code queue list}, every value from the store shown as text. */
  static String line(Task t) {
    return String.format(
        Locale.ROOT,
        "%-8s  %-11s  %-6s  %-12s  %s",
        TerminalText.line(t.id().shortId()),
        t.status().name().toLowerCase(Locale.ROOT),
        t.priority().name().toLowerCase(Locale.ROOT),
        TerminalText.line(t.agentId().orElse("-")),
        TerminalText.line(t.title()));
  }

  /** {@code overnight queue add}, also {@code overnight enqueue}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Queue a task by hand, for any machine of the fleet or for one.")
  public static class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Option(
        names = "--prompt",
        required = true,
        paramLabel = "TEXT",
        description = {
          "What the agent should do: not empty, at most "
              + TaskSpec.MAX_PROMPT_LENGTH
              + " characters. Taken literally (an @ at its start names no file); for a long"
              + " prompt kept in a file: --prompt \"$(cat FILE)\"."
        })
    String prompt;

    @Option(
        names = "--title",
        paramLabel = "TEXT",
        description =
            "A one-line summary, at most "
                + TaskSpec.MAX_TITLE_LENGTH
                + " characters (default: the prompt's first line).")
    String title;

    @Option(names = "--agent", paramLabel = "ID", description = "The agent meant to do it.")
    String agent;

    @Option(
        names = "--priority",
        paramLabel = "LEVEL",
        description = "high, medium or low (default: ${DEFAULT-VALUE}).",
        defaultValue = "MEDIUM")
    TaskPriority priority;

    @Option(
        names = "--on",
        paramLabel = "WORKER",
        description =
            "Only this machine may run it: its name (fleet.name, else its host name) or its worker"
                + " id, as fleet status shows them.")
    String on;

    @Option(
        names = "--require",
        paramLabel = "LABEL",
        split = ",",
        description =
            "Only a machine carrying this label may run it (repeatable), e.g. os:macos,"
                + " agent:codex, repo:github.com/acme/shop, or one of the config's fleet.labels.")
    List<String> require = new ArrayList<>();

    @Option(names = "--json", description = "Print the task as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      TaskSpec unplaced = spec(List.of());
      try (Store store = state.openStore(state.paths())) {
        TaskSpec task = on == null ? unplaced : spec(List.of(Labels.worker(worker(store))));
        EnqueueResult r = store.taskQueue().enqueue(task);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          out.println(OvernightJson.writePretty(OvernightJson.task(r.task())));
        } else {
          out.println((r.created() ? "Queued " : "Already queued ") + line(r.task()));
        }
        out.flush();
        return ExitCodes.OK;
      }
    }

    /** The id of the worker {@code --on} names, among those recorded in the store. */
    private String worker(Store store) {
      try {
        return WorkerLookup.resolve(
            store.workers().workers(), on, Instant.now(), WorkerPresence.OFFLINE_AFTER);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "Cannot queue the task: " + TerminalText.line(e.getMessage()));
      }
    }

    /**
     * The task, checked before the store is touched: a refused task leaves nothing behind. {@code
     * placed} are labels beyond {@code --require} (the machine of {@code --on}).
     */
    private TaskSpec spec(List<String> placed) {
      TaskSpec.Builder b = TaskSpec.builder(prompt).priority(priority).metadata("source", "cli");
      List<String> labels = new ArrayList<>(require);
      labels.addAll(placed);
      // Whose task it is, so doctor can tell when two configurations share a folder.
      state.config().ifPresent(c -> b.metadata(TaskFacts.CONFIG_ID.key(), c.id()));
      if (title != null) {
        b.title(title);
      }
      if (agent != null) {
        b.agentId(agent);
      }
      try {
        return b.requiredLabels(labels).build();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "Cannot queue the task: " + e.getMessage());
      }
    }
  }

  /** {@code overnight queue list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List tasks, live ones first in claim order.")
  public static final class ListTasks implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Option(
        names = "--status",
        paramLabel = "STATUS",
        split = ",",
        description = "Only these statuses (pending, in_progress, completed, failed, cancelled).")
    Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description =
            "At most N tasks, 1 to " + TaskFilter.MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (limit < 1 || limit > TaskFilter.MAX_LIMIT) {
        throw new ParameterException(
            spec.commandLine(),
            "--limit must be between 1 and " + TaskFilter.MAX_LIMIT + ", not " + limit);
      }
      try (Store store = state.openStore(state.paths())) {
        TaskFilter filter = new TaskFilter(statuses, Optional.empty(), 0, limit);
        Page<Task> page = store.taskQueue().list(filter);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          out.println(OvernightJson.writePretty(OvernightJson.tasks(page.items())));
        } else if (page.items().isEmpty()) {
          out.println("No tasks.");
        } else {
          out.println(
              String.format(
                  Locale.ROOT,
                  "%-8s  %-11s  %-6s  %-12s  %s",
                  "ID",
                  "STATUS",
                  "PRIO",
                  "AGENT",
                  "TITLE"));
          page.items().forEach(t -> out.println(line(t)));
          if (page.hasMore()) {
            out.println("... " + (page.total() - page.items().size()) + " more (--limit)");
          }
        }
        out.flush();
        return ExitCodes.OK;
      }
    }
  }

  /** {@code overnight queue show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a task and its history.")
  public static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(paramLabel = "ID", description = "The task's id or a unique prefix of it.")
    String id;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (Store store = state.openStore(state.paths())) {
        Task t = find(store.taskQueue(), id, spec);
        List<TaskEvent> events = store.taskQueue().events(t.id());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          // The same document as the HTTP API's GET /api/tasks/{id}.
          ObjectNode n = OvernightJson.object();
          n.set("task", OvernightJson.task(t));
          n.set("events", OvernightJson.taskEvents(events));
          out.println(OvernightJson.writePretty(n));
        } else {
          out.println(TerminalText.line(t.title()));
          out.println("  id        " + TerminalText.line(t.id().value()));
          out.println(
              "  status    "
                  + t.status().name().toLowerCase(Locale.ROOT)
                  + ", attempt "
                  + t.attempts()
                  + " of "
                  + t.maxAttempts());
          out.println("  agent     " + TerminalText.line(agent(t)));
          t.lastError().ifPresent(e -> out.println("  error     " + TerminalText.line(e)));
          // The agent fact is already on the agent line.
          new java.util.TreeMap<>(t.metadata())
              .entrySet().stream()
                  .filter(e -> !e.getKey().equals(TaskFacts.AGENT.key()))
                  .forEach(
                      e ->
                          out.println(
                              TerminalText.line(
                                  "  " + String.format("%-9s", e.getKey()) + " " + e.getValue())));
          out.println(
              "  prompt    " + TerminalText.text(t.prompt()).replace("\n", "\n            "));
          out.println("History");
          for (TaskEvent e : events) {
            out.println(
                TerminalText.line(
                    "  "
                        + e.at()
                        + "  "
                        + e.type().name().toLowerCase(Locale.ROOT)
                        + " by "
                        + e.actor()
                        + ": "
                        + e.reason()));
          }
        }
        out.flush();
        return ExitCodes.OK;
      }
    }
  }

  /**
   * The agent of a task in one line: the one that worked on it, and the one it was meant for when
   * that differs (or the coordinator chose).
   */
  static String agent(Task t) {
    Optional<String> worked = TaskFacts.AGENT.from(t);
    if (worked.isEmpty()) {
      return t.agentId().orElse("(coordinator's choice)");
    }
    if (t.agentId().isEmpty()) {
      return worked.get() + " (the coordinator's choice)";
    }
    return t.agentId().equals(worked)
        ? worked.get()
        : worked.get() + " (asked for " + t.agentId().get() + ")";
  }

  /** {@code overnight queue cancel}. */
  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a pending or running task.")
  public static final class Cancel implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(paramLabel = "ID", description = "The task's id or a unique prefix of it.")
    String id;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        defaultValue = "cancelled from the command line")
    String reason;

    @Override
    public Integer call() {
      return change(
          spec, state, id, "Cancelled ", (queue, task) -> queue.cancel(task, "cli", reason));
    }
  }

  /** {@code overnight queue retry}. */
  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Put a failed or cancelled task back in the queue.")
  public static final class Retry implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(paramLabel = "ID", description = "The task's id or a unique prefix of it.")
    String id;

    @Override
    public Integer call() {
      return change(
          spec,
          state,
          id,
          "Retrying ",
          (queue, task) -> queue.retry(task, "cli", "retried from the command line"));
    }
  }
}
