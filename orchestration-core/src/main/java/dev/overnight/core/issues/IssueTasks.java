package dev.overnight.core.issues;

import dev.overnight.api.config.IssueSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.IllegalTransitionException;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.CoordinatorListener;
import dev.overnight.core.coordinator.TaskFeed;
import dev.overnight.core.pr.GitHubIssue;
import dev.overnight.core.pr.GitHubIssues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the labelled GitHub issues of the workspace's repository into tasks ({@code issues}).
 *
 * <p><b>At the start of each cycle</b> ({@link #refresh}): the open issues carrying the label are
 * read (one bounded request, answered "not modified" when nothing changed); each one no task was
 * ever queued for becomes a pending task — its title, body and link, its priority from the config's
 * priority labels — under an op hash made from the repository and the issue's id, so it is queued
 * once whatever becomes of the task, across restarts; a pending task whose issue lost the label or
 * was closed is cancelled.
 *
 * <p><b>When its task ends</b> ({@link #onEvent}): completed, or failed for good, the issue gets
 * one comment with the outcome and the pull request. The comment carries the task's id in a hidden
 * marker, and the issue's comments are read first, so a comment is never posted twice.
 *
 * <p>Thread-safe. Both calls block on GitHub, each request bounded by the client's timeout; a
 * failure in {@link #onEvent} is logged and never reaches the night, one in {@link #refresh} is
 * thrown for the coordinator to log.
 *
 * @since 0.1.0
 */
public final class IssueTasks implements TaskFeed, CoordinatorListener {
  private static final Logger LOG = LoggerFactory.getLogger(IssueTasks.class);

  /** Who cancels a withdrawn issue's task, as the task's events show it. */
  static final String ACTOR = "overnight-issues";

  private final IssueSettings settings;
  private final GitHubIssues github;
  private final TaskQueue queue;
  private final int maxAttempts;
  private final String configId;
  private final Supplier<Set<String>> requiredLabels;

  private IssueTasks(
      OrchestrationConfig config,
      GitHubIssues github,
      TaskQueue queue,
      Supplier<Set<String>> requiredLabels) {
    this.settings = config.issues();
    this.github = Objects.requireNonNull(github, "github");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.maxAttempts = config.maxAttempts();
    this.configId = config.id();
    this.requiredLabels = Objects.requireNonNull(requiredLabels, "requiredLabels");
  }

  /**
   * The issues of {@code github}'s repository as tasks of {@code queue}, as {@code config}'s {@code
   * issues} section says; each task requires the labels {@code requiredLabels} gives when it is
   * queued (the repository's {@code repo:} label, so no machine runs it on another checkout).
   */
  public static IssueTasks create(
      OrchestrationConfig config,
      GitHubIssues github,
      TaskQueue queue,
      Supplier<Set<String>> requiredLabels) {
    return new IssueTasks(config, github, queue, requiredLabels);
  }

  @Override
  public List<Withdrawn> refresh() {
    List<GitHubIssue> open = github.openLabelled(settings.label());
    enqueueNew(open);
    return withdrawUnwanted(open);
  }

  private void enqueueNew(List<GitHubIssue> open) {
    Map<String, GitHubIssue> byHash = new LinkedHashMap<>();
    // The oldest issue first: at one priority, the queue runs what it was given first.
    open.stream()
        .sorted(java.util.Comparator.comparingLong(GitHubIssue::number))
        .forEach(i -> byHash.put(opHash(i), i));
    Set<String> taken = queue.takenOpHashes(byHash.keySet());
    List<TaskSpec> specs = new ArrayList<>();
    byHash.forEach(
        (hash, issue) -> {
          if (!taken.contains(hash)) {
            specs.add(spec(issue, hash));
          }
        });
    if (!specs.isEmpty()) {
      queue.enqueueAll(specs);
      LOG.info("Queued {} issue(s) of {} labelled {}", specs.size(), github.repository(), label());
    }
  }

  private List<Withdrawn> withdrawUnwanted(List<GitHubIssue> open) {
    Map<Long, GitHubIssue> openByNumber = new HashMap<>();
    open.forEach(i -> openByNumber.put(i.number(), i));
    // One page of the most recently updated: an issue beyond it may still be labelled.
    boolean listWhole = open.size() < GitHubIssues.PAGE;
    List<Withdrawn> withdrawn = new ArrayList<>();
    for (Task task : pendingIssueTasks()) {
      long number = TaskFacts.ISSUE_NUMBER.from(task).orElse(-1L);
      if (openByNumber.containsKey(number)) {
        continue;
      }
      Optional<String> why = listWhole ? Optional.of(gone(number)) : stillWanted(number);
      if (why.isEmpty()) {
        continue;
      }
      try {
        withdrawn.add(new Withdrawn(queue.cancel(task.id(), ACTOR, why.get()), why.get()));
        LOG.info("Cancelled task {}: {}", task.id().shortId(), why.get());
      } catch (IllegalTransitionException e) {
        // Claimed since it was listed: it runs, and its issue hears the outcome.
      }
    }
    return withdrawn;
  }

  /** Why a pending task's issue, missing from a whole list, is no longer wanted. */
  private String gone(long number) {
    return "issue #" + number + " was closed or lost the label " + label();
  }

  /** Asked one by one when the list was cut: empty while the issue is open and labelled. */
  private Optional<String> stillWanted(long number) {
    Optional<GitHubIssue> issue = github.issue(number);
    if (issue.isEmpty()) {
      return Optional.of("issue #" + number + " no longer exists");
    }
    if (!issue.get().open()) {
      return Optional.of("issue #" + number + " was closed");
    }
    if (!issue.get().labelled(settings.label())) {
      return Optional.of("issue #" + number + " lost the label " + label());
    }
    return Optional.empty();
  }

  /** The pending tasks queued for this repository's issues. */
  private List<Task> pendingIssueTasks() {
    String mine = github.repository() + "#";
    List<Task> found = new ArrayList<>();
    int offset = 0;
    while (true) {
      Page<Task> page =
          queue.list(TaskFilter.withStatus(TaskStatus.PENDING).page(offset, TaskFilter.MAX_LIMIT));
      for (Task t : page.items()) {
        if (TaskFacts.ISSUE.from(t).filter(i -> i.startsWith(mine)).isPresent()) {
          found.add(t);
        }
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        return found;
      }
      offset += page.items().size();
    }
  }

  private TaskSpec spec(GitHubIssue issue, String hash) {
    Map<String, String> facts = new LinkedHashMap<>();
    TaskFacts.ISSUE.put(facts, github.repository() + "#" + issue.number());
    TaskFacts.ISSUE_NUMBER.put(facts, issue.number());
    TaskFacts.ISSUE_URL.put(facts, issue.link().toString());
    TaskFacts.RATIONALE.put(facts, "GitHub issue #" + issue.number() + " is labelled " + label());
    TaskFacts.CONFIG_ID.put(facts, configId);
    Set<String> required = requiredLabels.get();
    if (!required.isEmpty()) {
      TaskFacts.REQUIRED_LABELS.put(facts, required);
    }
    TaskPriority priority = settings.priorityOf(issue.labels()).orElse(TaskPriority.MEDIUM);
    return TaskSpec.builder(prompt(issue))
        .title(TaskSpec.titleOf("#" + issue.number() + " " + issue.title()))
        .priority(priority)
        .opHash(hash)
        .maxAttempts(maxAttempts)
        .metadata(facts)
        .build();
  }

  /** The agent's prompt: the issue as its author wrote it, then where it is. */
  static String prompt(GitHubIssue issue) {
    String head = "Resolve GitHub issue #" + issue.number() + ": " + issue.title().strip() + "\n\n";
    String tail = "\n\nThe issue: " + issue.link() + "\n";
    String body = issue.body().strip();
    int room = TaskSpec.MAX_PROMPT_LENGTH - head.length() - tail.length();
    if (body.length() > room) {
      body = body.substring(0, Math.max(0, room - 1)) + "…";
    }
    return head + body + tail;
  }

  /**
   * The op hash of an issue's task: from the repository and GitHub's id of the issue, which a title
   * edit or a label change leaves alone.
   */
  static String opHash(String repository, long issueId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("issue\n" + repository + "\n" + issueId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private String opHash(GitHubIssue issue) {
    return opHash(github.repository(), issue.id());
  }

  @Override
  public void onEvent(CoordinatorEvent event) {
    if (!(event instanceof CoordinatorEvent.TaskEnded ended)) {
      return;
    }
    Optional<Long> number = TaskFacts.ISSUE_NUMBER.from(ended.task());
    boolean ours =
        TaskFacts.ISSUE
            .from(ended.task())
            .filter(i -> i.startsWith(github.repository() + "#"))
            .isPresent();
    boolean finalOutcome = ended.outcome().completed() || ended.outcome() == AttemptOutcome.FAILED;
    if (number.isEmpty() || !ours || !finalOutcome) {
      return;
    }
    try {
      comment(number.get(), ended);
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not tell issue #{} what became of task {}: {}",
          number.get(),
          ended.task().id().shortId(),
          e.toString());
    }
  }

  private void comment(long number, CoordinatorEvent.TaskEnded ended) {
    String marker = marker(ended.task());
    if (github.comments(number).stream().anyMatch(c -> c.contains(marker))) {
      return;
    }
    github.comment(number, commentText(ended) + "\n\n" + marker);
  }

  /** The hidden line that says which task a comment is about. */
  static String marker(Task task) {
    return "<!-- overnight-task " + task.id().value() + " -->";
  }

  /** What the issue is told, in words. */
  static String commentText(CoordinatorEvent.TaskEnded ended) {
    Optional<String> pr = ended.prUrl().or(() -> TaskFacts.PR_URL.from(ended.task()));
    StringBuilder b = new StringBuilder();
    switch (ended.outcome()) {
      case COMPLETED ->
          b.append(
              pr.map(u -> "Overnight opened a pull request for this issue: " + u + ".")
                  .orElse(
                      "Overnight finished work on this issue"
                          + TaskFacts.BRANCH
                              .from(ended.task())
                              .map(br -> " on the branch `" + br + "`")
                              .orElse("")
                          + "; no pull request was opened"
                          + TaskFacts.PR_NOTE.from(ended.task()).map(n -> " (" + n + ")").orElse("")
                          + "."));
      case COMPLETED_NO_CHANGE ->
          b.append("Overnight worked on this issue but changed nothing")
              .append(pr.map(u -> " (" + u + ")").orElse(""))
              .append(". It needs a human.");
      default ->
          b.append("Overnight could not resolve this issue: ")
              .append(ended.reason().isBlank() ? "the task failed" : ended.reason())
              .append(". It needs a human.");
    }
    b.append("\n\n_Task ")
        .append(ended.task().id().shortId())
        .append(", attempt ")
        .append(ended.task().attempts())
        .append("._");
    return b.toString();
  }

  private String label() {
    return "\"" + settings.label() + "\"";
  }

  @Override
  public String toString() {
    return "issues of " + github.repository() + " labelled " + label();
  }
}
