package dev.overnight.core.coordinator;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.conflict.BaseSync;
import dev.overnight.core.conflict.SyncResult;
import dev.overnight.core.pr.GhCli;
import dev.overnight.core.pr.GitHubPullRequests;
import dev.overnight.core.pr.PullRequestFeedback;
import dev.overnight.core.pr.PullRequestForge;
import dev.overnight.core.pr.PullRequestState;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.schedule.ScheduleTimes;
import dev.overnight.core.time.Durations;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.Worktree;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows up the pull requests Overnight opened: a failing check or a review asking for changes
 * becomes a follow-up task on the same branch, whose agent gets the failing job's log or the
 * review's comments; its work passes the quality gate, is pushed onto the pull request's branch and
 * the pull request gets a comment saying what changed and what it answered.
 *
 * <p>The queue is the memory: a follow-up is a task carrying {@link TaskFacts#FOLLOW_UP_OF} (the
 * task whose pull request it follows up) and {@link TaskFacts#FOLLOW_UP_ANSWERS} (what it answers),
 * so after a restart, on any store, what was answered is never answered again and the bounds
 * ({@code pr_automation.follow_ups}) count what was done before. Follow-ups are ordinary tasks for
 * the rest: they run in cycles (inside the window, and with {@code in_day} in the coordinator's day
 * cycles too, on a budget of their own), count in the night's limits, are retried and reported like
 * any task.
 *
 * <p>A human's commits on the branch are kept: the branch starts from the pull request's head, and
 * if the branch moved on the remote while the agent worked, the remote's commits are merged in
 * before pushing. Nothing is ever force-pushed.
 *
 * <p>With a {@link BaseSync} ({@link #syncingWithBase}), each open pull request's branch is also
 * kept up to date with its base: when the base moved since the last sync, the branch is rebased or
 * the base merged in, a conflict going to the task's agent, then the gate. A sync that changed the
 * branch or needed a human counts as a follow-up against the bounds, is noted on the task ({@link
 * TaskFacts#BASE_SYNC}, {@link TaskFacts#CONFLICT_FILES}, {@link TaskFacts#BASE_SYNCS}) and told; a
 * base commit once tried is not tried again. A sync that changed the branch says so in one comment
 * on the pull request. (A task's branch is also synced before its pull request opens, by the
 * coordinator; such a sync is recorded and counted the same way.)
 *
 * <p>Where each pull request stands is noted on its task ({@link TaskFacts#PR_STATE}) whenever it
 * changes, for the report and the dashboard; a merged or closed pull request ends its task's
 * follow-ups (queued ones are cancelled) and is not read again.
 *
 * <p>Thread-safe. {@link #watch} blocks on the forge (and, syncing, on git, the gate and the
 * agent); {@link #prepareBranch} and {@link #publish} on git and the forge. A forge that cannot be
 * asked is logged and the pull request skipped until the next cycle; it never fails a cycle.
 *
 * @since 0.1.0
 */
public final class PullRequestFollowUps implements PullRequestPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(PullRequestFollowUps.class);

  /** How long "a night" is for {@code follow_ups.per_night}. */
  static final Duration NIGHT = Duration.ofHours(12);

  /** At most this much of the original task's prompt is repeated in a follow-up's. */
  private static final int ORIGINAL_PROMPT_CHARS = 4000;

  /** Who notes pull request states and cancels follow-ups, in the tasks' event history. */
  private static final String ACTOR = "overnight";

  private static final Set<String> ENDED =
      Set.of(PullRequestState.MERGED.key(), PullRequestState.CLOSED.key());

  private static final Pattern PR_NUMBER = Pattern.compile("/pull/(\\d+)(?:[/?#].*)?$");

  private final OrchestrationConfig config;
  private final PrAutomation settings;
  private final ScheduleTimes window;
  private final PullRequestForge forge;
  private final Git repository;
  private final Optional<BaseSync> baseSync;
  private final BiConsumer<Task, SyncResult> synced;

  /** Follow-ups on the pull requests of {@code config}'s workspace, asking {@code forge}. */
  public PullRequestFollowUps(OrchestrationConfig config, PullRequestForge forge) {
    this(config, forge, Optional.empty(), (task, result) -> {});
  }

  private PullRequestFollowUps(
      OrchestrationConfig config,
      PullRequestForge forge,
      Optional<BaseSync> baseSync,
      BiConsumer<Task, SyncResult> synced) {
    this.config = Objects.requireNonNull(config, "config");
    this.settings = config.prAutomation();
    this.window = ScheduleTimes.of(config.schedule());
    this.forge = Objects.requireNonNull(forge, "forge");
    this.repository = new Git(config.workspaceRoot().path());
    this.baseSync = baseSync;
    this.synced = Objects.requireNonNull(synced, "synced");
  }

  /**
   * These follow-ups, also keeping each open pull request's branch up to date with its base through
   * {@code sync}, telling {@code synced} of each sync that changed a branch or needs a human (with
   * the task as noted); what {@code synced} throws is logged.
   */
  public PullRequestFollowUps syncingWithBase(BaseSync sync, BiConsumer<Task, SyncResult> synced) {
    return new PullRequestFollowUps(
        config, forge, Optional.of(Objects.requireNonNull(sync, "sync")), synced);
  }

  /**
   * The follow-ups the configuration asks for, on GitHub through its REST API: when pull requests
   * are opened and pushed, follow-ups are not turned off, and the remote is on a GitHub host with a
   * token in {@code environment} ({@code GH_TOKEN}; {@code GH_ENTERPRISE_TOKEN} for an Enterprise
   * host). Empty otherwise, saying why in the log.
   */
  public static Optional<PullRequestFollowUps> forConfig(
      OrchestrationConfig config, Map<String, String> environment) {
    return forConfig(config, environment, Optional.empty());
  }

  /**
   * {@link #forConfig(OrchestrationConfig, Map)}, reaching GitHub through {@code gh} ({@code gh
   * api}, reads and writes alike) when the environment has no token for the remote's host and gh
   * has a login for it.
   */
  public static Optional<PullRequestFollowUps> forConfig(
      OrchestrationConfig config, Map<String, String> environment, GhCli gh) {
    return forConfig(config, environment, Optional.of(gh));
  }

  private static Optional<PullRequestFollowUps> forConfig(
      OrchestrationConfig config, Map<String, String> environment, Optional<GhCli> gh) {
    PrAutomation pr = config.prAutomation();
    if (!pr.enabled() || !pr.push() || !pr.followUps().enabled()) {
      return Optional.empty();
    }
    CommandResult url =
        new Git(config.workspaceRoot().path()).run("remote", "get-url", pr.remote());
    Duration timeout = Duration.ofSeconds(30);
    Optional<GitHubPullRequests> github =
        !url.succeeded()
            ? Optional.empty()
            : gh.isPresent()
                ? GitHubPullRequests.forRemote(url.stdout().strip(), environment, timeout, gh.get())
                    .filter(GitHubPullRequests::signedIn)
                : GitHubPullRequests.forRemote(url.stdout().strip(), environment, timeout)
                    .filter(GitHubPullRequests::authenticated);
    if (github.isEmpty()) {
      LOG.info(
          "No follow-ups on pull requests: the remote {} is not on a GitHub host with a token set"
              + " (GH_TOKEN, or GH_ENTERPRISE_TOKEN for an Enterprise host){}",
          pr.remote(),
          gh.isPresent() ? " nor a gh logged in to it" : "");
    }
    return github.map(g -> new PullRequestFollowUps(config, g));
  }

  /**
   * What {@code pr_automation.follow_ups.in_day} means for {@code config}, in words, for {@code
   * doctor}, {@code rehearse} and {@code plan --explain}: empty when follow-ups run in the window
   * only (or not at all).
   */
  public static Optional<String> inDayNote(OrchestrationConfig config) {
    PrAutomation pr = config.prAutomation();
    PrAutomation.FollowUps f = pr.followUps();
    if (!f.inDay() || !pr.enabled() || !pr.push() || !f.enabled()) {
      return Optional.empty();
    }
    if (config.schedule().windowStart().isEmpty() || config.schedule().windowEnd().isEmpty()) {
      return Optional.of(
          "pr_automation.follow_ups.in_day changes nothing: the schedule has no window, so"
              + " follow-ups run in the schedule's cycles");
    }
    return Optional.of(
        "follow-ups on pull requests also run in the day (pr_automation.follow_ups.in_day):"
            + " outside the window, every "
            + Durations.human(f.dayInterval())
            + ", the open pull requests are watched and only follow-ups run, at most "
            + f.perNight()
            + " from one night's start to the next, as the constraints allow");
  }

  /** Whether {@code task} is a follow-up on another task's pull request. */
  public static boolean isFollowUp(Task task) {
    return TaskFacts.FOLLOW_UP_OF.from(task).isPresent();
  }

  /**
   * Reads the checks and reviews of every open pull request of a completed task and queues a
   * follow-up for what asks for changes and was not answered yet: the failing checks first (a
   * change that does not build is fixed before a review is answered), else the reviews asking for
   * changes. One follow-up at a time per pull request, at most {@code per_pr} on one, at most
   * {@code per_night} started in twelve hours; with {@code in_day}, outside the window, at most
   * {@code per_night} started in the day since the last night began (the night's own are not
   * counted there, nor the day's in the night).
   *
   * @return the follow-ups queued now
   */
  public List<Task> watch(TaskQueue queue, Instant now) {
    return watch(queue, now, (task, state) -> {});
  }

  /**
   * {@link #watch(TaskQueue, Instant)}, telling {@code changed} each task whose pull request's
   * state changed, with the task as noted.
   */
  public List<Task> watch(
      TaskQueue queue, Instant now, BiConsumer<Task, PullRequestState> changed) {
    return watch(queue, now, changed, Spending.UNBOUNDED);
  }

  /**
   * The night's spending as the coordinator keeps it: a sync's agent turns count in it as a task's
   * turns do, and no sync starts once its limit is reached.
   */
  interface Spending {
    /** Nothing counted, nothing bounded. */
    Spending UNBOUNDED =
        new Spending() {
          @Override
          public Optional<String> limitReached() {
            return Optional.empty();
          }

          @Override
          public void spent(Task task, Usage usage, Duration agentTime) {}
        };

    /** Why no agent's turn may start now, when the night's spending limit is reached. */
    Optional<String> limitReached();

    /** The sync of {@code task}'s branch had the agent work this long and use this much. */
    void spent(Task task, Usage usage, Duration agentTime);
  }

  /** {@link #watch(TaskQueue, Instant, BiConsumer)}, its syncs counted in {@code spending}. */
  List<Task> watch(
      TaskQueue queue, Instant now, BiConsumer<Task, PullRequestState> changed, Spending spending) {
    PrAutomation.FollowUps bounds = settings.followUps();
    if (!bounds.enabled()) {
      return List.of();
    }
    List<Task> all = everyTask(queue);
    Map<String, List<Task>> byOrigin = new HashMap<>();
    List<Task> origins = new ArrayList<>();
    for (Task t : all) {
      Optional<String> of = TaskFacts.FOLLOW_UP_OF.from(t);
      if (of.isPresent()) {
        byOrigin.computeIfAbsent(of.get(), k -> new ArrayList<>()).add(t);
      } else if (t.status() == TaskStatus.COMPLETED && TaskFacts.PR_URL.from(t).isPresent()) {
        origins.add(t);
      }
    }
    Predicate<Instant> counted = sameBudget(bounds, now);
    long tonight =
        byOrigin.values().stream()
                .flatMap(List::stream)
                .filter(t -> counted.test(t.createdAt()))
                .count()
            + origins.stream().flatMap(o -> syncs(o).stream()).filter(counted).count();
    // Oldest first, and the older pull request of tasks queued together.
    origins.sort(
        Comparator.comparing(Task::createdAt)
            .thenComparing(
                t -> number(TaskFacts.PR_URL.from(t).orElse("")).orElse(Long.MAX_VALUE)));
    List<Task> queued = new ArrayList<>();
    for (Task origin : origins) {
      if (TaskFacts.PR_STATE.from(origin).filter(ENDED::contains).isPresent()) {
        continue;
      }
      String url = TaskFacts.PR_URL.from(origin).orElseThrow();
      Optional<Long> number = number(url);
      if (number.isEmpty()) {
        continue;
      }
      PullRequestFeedback feedback;
      try {
        feedback = forge.feedback(number.get());
      } catch (OrchestrationException e) {
        LOG.warn("Could not read pull request {}: {}", url, e.getMessage());
        continue;
      }
      List<Task> earlier = byOrigin.getOrDefault(origin.id().toString(), List.of());
      noteState(queue, origin, feedback.state(), earlier)
          .ifPresent(noted -> changed.accept(noted, feedback.state()));
      if (feedback.state().ended() || earlier.stream().anyMatch(t -> !t.status().isTerminal())) {
        continue;
      }
      int done = earlier.size() + syncs(origin).size();
      if (tonight < bounds.perNight()
          && done < bounds.perPr()
          && syncWithBase(queue, origin, number.get(), now, spending)) {
        tonight++;
        done++;
      }
      if (tonight >= bounds.perNight() || done >= bounds.perPr()) {
        continue;
      }
      Set<String> answered =
          earlier.stream()
              .flatMap(t -> TaskFacts.FOLLOW_UP_ANSWERS.from(t).stream())
              .flatMap(String::lines)
              .collect(Collectors.toSet());
      List<PullRequestFeedback.Item> open =
          feedback.items().stream().filter(i -> !answered.contains(i.key())).toList();
      List<PullRequestFeedback.Item> checks =
          open.stream().filter(i -> i.kind() == PullRequestFeedback.Kind.FAILING_CHECK).toList();
      List<PullRequestFeedback.Item> answer = checks.isEmpty() ? open : checks;
      if (answer.isEmpty()) {
        continue;
      }
      EnqueueResult r = queue.enqueue(spec(origin, url, feedback, answer));
      if (r.created()) {
        queued.add(r.task());
        tonight++;
        LOG.info("Follow-up {} on {} for {}", r.task().id().shortId(), url, answering(answer));
      }
    }
    return queued;
  }

  /**
   * Which follow-ups (and syncs), by when they started, count against the same {@code per_night}
   * budget as one starting {@code now}: those of the last twelve hours; with {@code in_day}, the
   * night's and the day's apart: in the window those of the last twelve hours started in a window,
   * outside it those started outside any window since the last night began, so each night starts
   * the day's budget afresh.
   */
  private Predicate<Instant> sameBudget(PrAutomation.FollowUps bounds, Instant now) {
    Instant twelveHours = now.minus(NIGHT);
    if (!bounds.inDay()) {
      return at -> at.isAfter(twelveHours);
    }
    if (window.isWindowOpen(now)) {
      return at -> at.isAfter(twelveHours) && window.isWindowOpen(at);
    }
    Instant nightBegan = window.nextWindowStart(now.minus(Duration.ofDays(1)));
    return at -> !at.isBefore(nightBegan) && !window.isWindowOpen(at);
  }

  /**
   * Brings the branch of {@code origin}'s pull request up to date with its base when the base moved
   * since the branch last took it in, or since a sync last tried it. A sync that fails is logged
   * and tried again next cycle. A sync that changed the pull request's branch says so in a comment
   * on pull request {@code number}.
   *
   * @return whether the sync counts as a follow-up: it changed the branch or needs a human
   */
  private boolean syncWithBase(
      TaskQueue queue, Task origin, long number, Instant now, Spending spending) {
    if (baseSync.isEmpty()) {
      return false;
    }
    BaseSync sync = baseSync.get();
    String lastTried =
        TaskFacts.BASE_SYNCS
            .from(origin)
            .flatMap(l -> l.lines().reduce((a, b) -> b))
            .map(l -> l.substring(l.lastIndexOf(' ') + 1))
            .orElse("");
    SyncResult result;
    try {
      BaseSync.Base base = sync.fetchBase();
      if (base.commit().equals(lastTried)
          || TaskFacts.HEAD.from(origin).filter(h -> sync.contains(h, base)).isPresent()) {
        return false;
      }
      Optional<String> spentAll = spending.limitReached();
      if (spentAll.isPresent()) {
        LOG.info(
            "Task {}: not synced with {}: {}", origin.id().shortId(), base.name(), spentAll.get());
        return false;
      }
      result = sync.sync(origin);
      Map<String, String> facts = new LinkedHashMap<>(result.facts(origin, now, base.name()));
      if (result.spent()) {
        addSpending(facts, origin, result);
        try {
          spending.spent(origin, result.usage(), result.agentTime());
        } catch (RuntimeException e) {
          LOG.warn("Could not count the sync of {}: {}", result.branch(), e.toString());
        }
      }
      boolean counts = result.countsAsFollowUp();
      Task noted = queue.note(origin.id(), ACTOR, facts);
      LOG.info(
          "Task {}: synced {} with {}: {}",
          origin.id().shortId(),
          result.branch(),
          base.name(),
          result.outcome());
      if (counts) {
        try {
          synced.accept(noted, result);
        } catch (RuntimeException e) {
          LOG.warn("Could not tell of the sync of {}: {}", result.branch(), e.toString());
        }
      }
      syncComment(result, base.name(), sync.hasGate())
          .ifPresent(
              c -> {
                try {
                  forge.comment(number, c);
                } catch (OrchestrationException e) {
                  LOG.warn("Could not comment on pull request {}: {}", number, e.getMessage());
                }
              });
      return counts;
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not sync the branch of task {} with its base: {}",
          origin.id().shortId(),
          e.toString());
      return false;
    }
  }

  /**
   * What a pull request's comment says of a sync that changed its branch ({@code baseName} taken in
   * and pushed), e.g. {@code Brought up to date with main (rebased); the gate passed.}; empty when
   * the branch on the forge did not change.
   */
  static Optional<String> syncComment(SyncResult result, String baseName, boolean gated) {
    if (!result.pushed()) {
      return Optional.empty();
    }
    String gate = gated ? "; the gate passed." : ".";
    return switch (result.outcome()) {
      case REBASED, MERGED ->
          Optional.of(
              "Brought up to date with " + baseName + " (" + result.outcome().key() + ")" + gate);
      case RESOLVED ->
          Optional.of(
              "Resolved a conflict with "
                  + baseName
                  + " in "
                  + String.join(", ", result.conflictedFiles())
                  + gate);
      case UP_TO_DATE, NEEDS_RESOLUTION -> Optional.empty();
    };
  }

  /**
   * Adds what a sync's agent turns spent to the task's own usage facts, so the report's totals of
   * the night hold them as they hold a task's turns.
   */
  private static void addSpending(Map<String, String> facts, Task origin, SyncResult result) {
    TaskFacts.AGENT_SECONDS.put(
        facts, TaskFacts.AGENT_SECONDS.from(origin).orElse(0L) + result.agentTime().toSeconds());
    long tokens = result.usage().totalTokens();
    if (tokens > 0) {
      TaskFacts.TOKENS.put(facts, TaskFacts.TOKENS.from(origin).orElse(0L) + tokens);
    }
    result
        .usage()
        .costUsd()
        .ifPresent(
            c -> TaskFacts.COST_USD.put(facts, TaskFacts.COST_USD.from(origin).orElse(0.0) + c));
  }

  /** When each sync that counted as a follow-up on {@code origin}'s pull request happened. */
  private static List<Instant> syncs(Task origin) {
    return TaskFacts.BASE_SYNCS
        .from(origin)
        .map(l -> l.lines().flatMap(s -> instant(s.split(" ", 2)[0]).stream()).toList())
        .orElse(List.of());
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Notes where the pull request stands on its task when that changed; a merged or closed one ends
   * the task's follow-ups, and those still queued are cancelled.
   *
   * @return the task as noted, when its state changed
   */
  private static Optional<Task> noteState(
      TaskQueue queue, Task origin, PullRequestState state, List<Task> followUps) {
    Optional<Task> noted = Optional.empty();
    if (TaskFacts.PR_STATE.from(origin).filter(state.key()::equals).isEmpty()) {
      try {
        noted = Optional.of(queue.note(origin.id(), ACTOR, TaskFacts.PR_STATE.of(state.key())));
      } catch (RuntimeException e) {
        LOG.warn(
            "Could not note that the pull request of task {} is {}: {}",
            origin.id().shortId(),
            state,
            e.toString());
      }
    }
    if (state.ended()) {
      for (Task f : followUps) {
        if (f.status().isLive()) {
          try {
            queue.cancel(f.id(), ACTOR, "the pull request was " + state.key());
          } catch (RuntimeException e) {
            LOG.warn("Could not cancel follow-up {}: {}", f.id().shortId(), e.toString());
          }
        }
      }
    }
    return noted;
  }

  private static List<Task> everyTask(TaskQueue queue) {
    List<Task> all = new ArrayList<>();
    int offset = 0;
    while (true) {
      List<Task> page = queue.list(TaskFilter.all().page(offset, TaskFilter.MAX_LIMIT)).items();
      all.addAll(page);
      if (page.size() < TaskFilter.MAX_LIMIT) {
        return all;
      }
      offset += page.size();
    }
  }

  private TaskSpec spec(
      Task origin, String url, PullRequestFeedback feedback, List<PullRequestFeedback.Item> items) {
    String branch = TaskFacts.BRANCH.from(origin).orElseThrow();
    Map<String, String> facts = new LinkedHashMap<>();
    TaskFacts.FOLLOW_UP_OF.put(facts, origin.id().toString());
    TaskFacts.FOLLOW_UP_ANSWERS.put(
        facts, items.stream().map(PullRequestFeedback.Item::key).collect(Collectors.joining("\n")));
    TaskFacts.FOLLOW_UP_ANSWERING.put(facts, answering(items));
    TaskFacts.FOLLOW_UP_FROM.put(facts, feedback.headSha());
    TaskFacts.BRANCH.put(facts, branch);
    TaskFacts.PR_URL.put(facts, url);
    TaskFacts.AGENT.from(origin).ifPresent(a -> TaskFacts.AGENT.put(facts, a));
    TaskFacts.REQUIRED_LABELS
        .from(origin)
        .filter(l -> !l.isEmpty())
        .ifPresent(l -> TaskFacts.REQUIRED_LABELS.put(facts, l));
    TaskFacts.CONFIG_ID.from(origin).ifPresent(c -> TaskFacts.CONFIG_ID.put(facts, c));
    String keys = String.join("\n", new LinkedHashSet<>(facts.values()));
    return new TaskSpec(
        TaskSpec.titleOf("Follow up: " + origin.title()),
        prompt(origin, url, branch, feedback, items),
        origin.agentId(),
        TaskPriority.HIGH,
        "follow-up:" + sha256(url + "\n" + keys),
        Optional.of(config.maxAttempts()),
        facts);
  }

  /** What the follow-up answers, in words: {@code the failing check build and the review of x}. */
  static String answering(List<PullRequestFeedback.Item> items) {
    List<String> names =
        items.stream()
            .map(
                i ->
                    i.kind() == PullRequestFeedback.Kind.FAILING_CHECK
                        ? "the failing check " + i.name()
                        : i.name())
            .toList();
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1))
        + " and "
        + names.get(names.size() - 1);
  }

  private static String prompt(
      Task origin,
      String url,
      String branch,
      PullRequestFeedback feedback,
      List<PullRequestFeedback.Item> items) {
    StringBuilder p = new StringBuilder();
    p.append("Follow up on the pull request ")
        .append(url)
        .append(" (branch ")
        .append(branch)
        .append("), opened for the task \"")
        .append(origin.title())
        .append("\". Its head is ")
        .append(feedback.headSha(), 0, Math.min(12, feedback.headSha().length()))
        .append(".\n\n");
    for (PullRequestFeedback.Item i : items) {
      if (i.kind() == PullRequestFeedback.Kind.FAILING_CHECK) {
        p.append("The check ").append(i.name()).append(" failed. What it printed last:\n\n");
      } else {
        p.append(capitalized(i.name())).append(" asks for changes:\n\n");
      }
      p.append("```\n").append(i.detail().strip()).append("\n```\n\n");
    }
    p.append(
        items.get(0).kind() == PullRequestFeedback.Kind.FAILING_CHECK
            ? "Find why and fix it on this branch, so that the check passes."
            : "Make the changes the review asks for on this branch.");
    p.append(" Keep the rest of the pull request as it is. The task it was opened for:\n\n");
    String original = origin.prompt();
    p.append(
        original.length() <= ORIGINAL_PROMPT_CHARS
            ? original
            : original.substring(0, ORIGINAL_PROMPT_CHARS) + "…");
    String text = p.toString();
    return text.length() <= TaskSpec.MAX_PROMPT_LENGTH
        ? text
        : text.substring(0, TaskSpec.MAX_PROMPT_LENGTH - 1) + "…";
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /**
   * Brings a follow-up's branch to the pull request's head before its worktree is made, so the
   * agent starts from what the pull request holds now, a human's commits included. A local branch
   * that has commits the remote lacks is left as it is (they are merged when pushing); a remote
   * that cannot be fetched leaves the local branch, logged.
   */
  public void prepareBranch(Task task) {
    Optional<String> branch = TaskFacts.BRANCH.from(task);
    if (branch.isEmpty()) {
      return;
    }
    String b = branch.get();
    String tracking = "refs/remotes/" + settings.remote() + "/" + b;
    CommandResult fetch =
        repository.run("fetch", "--quiet", settings.remote(), "+refs/heads/" + b + ":" + tracking);
    if (!fetch.succeeded()) {
      LOG.warn(
          "Task {}: could not fetch {} from {}: {}",
          task.id().shortId(),
          b,
          settings.remote(),
          fetch.describe());
      return;
    }
    if (!repository.branchExists(b)) {
      repository.check("branch", b, tracking);
    } else if (repository
        .run("merge-base", "--is-ancestor", "refs/heads/" + b, tracking)
        .succeeded()) {
      CommandResult ff = repository.run("branch", "-f", b, tracking);
      if (!ff.succeeded()) {
        LOG.warn(
            "Task {}: could not move {} to {}: {}",
            task.id().shortId(),
            b,
            tracking,
            ff.describe());
      }
    }
  }

  /**
   * Pushes a follow-up's work onto the pull request's branch and comments on the pull request:
   * commits what the agent left, merges what was pushed to the branch meanwhile (a human's commits
   * are kept, never force-pushed over), pushes, and says what changed and what it answered. A step
   * that cannot happen is recorded in the result, never thrown.
   */
  @Override
  public PublishResult publish(
      Worktree worktree, Task task, Optional<GateResult> gate, String summary) {
    Git git = worktree.git();
    worktree.commitLeftovers(task, "");
    String url = TaskFacts.PR_URL.from(task).orElse("");
    String from = TaskFacts.FOLLOW_UP_FROM.from(task).orElse(worktree.base());
    int commits = count(git, worktree.base() + "..HEAD");
    int added =
        git.run("cat-file", "-e", from + "^{commit}").succeeded()
            ? count(git, from + "..HEAD")
            : commits;
    String head = git.check("rev-parse", "HEAD");
    if (added == 0) {
      return new PublishResult(
          worktree.branch(),
          commits,
          head,
          false,
          Optional.of("nothing to push: the follow-up changed nothing"),
          Optional.of(url),
          Optional.of("no comment: the follow-up changed nothing"));
    }
    String remote = settings.remote();
    String branch = worktree.branch();
    String tracking = "refs/remotes/" + remote + "/" + branch;
    CommandResult fetch =
        git.run("fetch", "--quiet", remote, "+refs/heads/" + branch + ":" + tracking);
    Optional<String> merged = Optional.empty();
    if (fetch.succeeded()
        && !git.run("merge-base", "--is-ancestor", tracking, "HEAD").succeeded()) {
      // Someone pushed to the branch while the agent worked: their commits stay, ours go on top.
      List<String> merge = new ArrayList<>(identity(git));
      merge.addAll(
          List.of(
              "merge",
              "--no-edit",
              "--no-verify",
              "-m",
              "Merge the pull request's branch into Overnight's follow-up",
              tracking));
      CommandResult m = git.run(merge.toArray(String[]::new));
      if (!m.succeeded()) {
        git.run("merge", "--abort");
        return new PublishResult(
            branch,
            commits,
            head,
            false,
            Optional.of(
                "not pushed: the pull request's branch moved on and does not merge with the"
                    + " follow-up ("
                    + m.tail(2).replace('\n', ' ').strip()
                    + ")"),
            Optional.of(url),
            Optional.of("no comment: nothing was pushed"));
      }
      merged = Optional.of(git.check("rev-parse", "--short", tracking));
      head = git.check("rev-parse", "HEAD");
    }
    CommandResult push = git.run("push", remote, "HEAD:refs/heads/" + branch);
    if (!push.succeeded()) {
      return new PublishResult(
          branch,
          commits,
          head,
          false,
          Optional.of("push rejected: " + push.tail(3).replace('\n', ' ').strip()),
          Optional.of(url),
          Optional.of("no comment: nothing was pushed"));
    }
    Optional<String> note = Optional.empty();
    Optional<Long> number = number(url);
    if (number.isPresent()) {
      try {
        forge.comment(number.get(), comment(git, task, from, head, added, merged, gate, summary));
      } catch (OrchestrationException e) {
        note = Optional.of("could not comment on the pull request: " + e.getMessage());
      }
    }
    return new PublishResult(branch, commits, head, true, Optional.empty(), Optional.of(url), note);
  }

  /** The pull request's comment: what the follow-up answered, what it changed, the gate. */
  private static String comment(
      Git git,
      Task task,
      String from,
      String head,
      int added,
      Optional<String> merged,
      Optional<GateResult> gate,
      String summary) {
    StringBuilder c = new StringBuilder();
    c.append("Overnight pushed a follow-up answering ")
        .append(TaskFacts.FOLLOW_UP_ANSWERING.from(task).orElse("this pull request's feedback"))
        .append(": ")
        .append(added)
        .append(added == 1 ? " commit" : " commits")
        .append(", now at ")
        .append(head, 0, Math.min(12, head.length()))
        .append(".\n\n");
    CommandResult files = git.run("diff", "--name-only", from, head);
    if (files.succeeded() && !files.stdout().isBlank()) {
      c.append("Changed: ")
          .append(
              files
                  .stdout()
                  .lines()
                  .limit(20)
                  .map(f -> "`" + f + "`")
                  .collect(Collectors.joining(", ")))
          .append(".\n\n");
    }
    merged.ifPresent(
        m ->
            c.append("The branch had moved on (")
                .append(m)
                .append("): those commits are kept and merged, not overwritten.\n\n"));
    gate.ifPresent(g -> c.append("Quality gate: ").append(g.summary()).append(".\n\n"));
    String said = summary.strip();
    if (!said.isEmpty()) {
      c.append("> ")
          .append((said.length() > 600 ? said.substring(0, 600) + "…" : said).replace("\n", "\n> "))
          .append("\n\n");
    }
    c.append("_Overnight task ").append(task.id().shortId()).append("._");
    return c.toString();
  }

  private static List<String> identity(Git git) {
    return git.hasIdentity()
        ? List.of()
        : List.of("-c", "user.name=Overnight", "-c", "user.email=overnight@localhost");
  }

  private static int count(Git git, String range) {
    return Integer.parseInt(git.check("rev-list", "--count", range));
  }

  /** The number of the pull request at {@code url} ({@code .../pull/12}). */
  static Optional<Long> number(String url) {
    Matcher m = PR_NUMBER.matcher(url);
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
