package dev.overnight.core.coordinator;

import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.core.conflict.SyncOutcome;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.Worktree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link PullRequestPublisher} Overnight uses unless given another: commits what the agent left
 * uncommitted, pushes the branch and opens a pull request with {@code gh} when configured.
 *
 * <p>The pull request is opened with {@code gh pr create}, or — made with {@link #overRest} — with
 * {@code gh api POST repos/{owner}/{repo}/pulls}: REST only, for a host that serves GitHub's REST
 * API but not its GraphQL API (which {@code gh pr} uses), the repository named by {@code GH_REPO}
 * or the workspace's remote as {@code gh} resolves it.
 *
 * <p>Every step that cannot happen (no remote, push rejected, {@code gh} missing or logged out) is
 * recorded with its reason instead of failing the task: the work is on the branch either way.
 * Thread-safe; blocks on git and gh.
 *
 * @since 0.1.0
 */
public final class GhPullRequestPublisher implements PullRequestPublisher {
  private static final Duration GH_TIMEOUT = Duration.ofMinutes(2);
  private final PrAutomation settings;
  private final String ghCommand;
  private final Map<String, String> ghEnvironment;
  private final boolean rest;

  /** A publisher for the given settings, using {@code gh} from {@code PATH}. */
  public GhPullRequestPublisher(PrAutomation settings) {
    this(settings, "gh");
  }

  /** A publisher using a specific {@code gh} executable. */
  public GhPullRequestPublisher(PrAutomation settings, String ghCommand) {
    this(settings, ghCommand, Map.of(), false);
  }

  private GhPullRequestPublisher(
      PrAutomation settings, String ghCommand, Map<String, String> ghEnvironment, boolean rest) {
    this.settings = settings;
    this.ghCommand = ghCommand;
    this.ghEnvironment =
        java.util.Collections.unmodifiableMap(new java.util.HashMap<>(ghEnvironment));
    this.rest = rest;
  }

  /**
   * A publisher that opens pull requests through GitHub's REST API with {@code gh api} ({@code
   * ghCommand}, run with {@code environment} added to the inherited one, e.g. {@code GH_HOST},
   * {@code GH_REPO}). It needs the base branch: {@code pr_automation.base_branch}, else the
   * remote's default branch as git knows it.
   */
  public static GhPullRequestPublisher overRest(
      PrAutomation settings, String ghCommand, Map<String, String> environment) {
    return new GhPullRequestPublisher(settings, ghCommand, environment, true);
  }

  /**
   * Commits leftovers on the task's branch (always, so work is never lost) and, when enabled,
   * pushes and opens a pull request.
   */
  @Override
  public PublishResult publish(
      Worktree worktree, Task task, Optional<GateResult> gate, String summary) {
    Git git = worktree.git();
    worktree.commitLeftovers(task, "");
    int commits = Integer.parseInt(git.check("rev-list", "--count", worktree.base() + "..HEAD"));
    String head = git.check("rev-parse", "HEAD");
    if (!settings.enabled()) {
      return new PublishResult(
          worktree.branch(),
          commits,
          head,
          false,
          Optional.of("pr_automation is off"),
          Optional.empty(),
          Optional.of("pr_automation is off"));
    }
    if (commits == 0) {
      return new PublishResult(
          worktree.branch(),
          0,
          head,
          false,
          Optional.of("nothing to push: the agent changed nothing"),
          Optional.empty(),
          Optional.of("nothing to review: the agent changed nothing"));
    }
    boolean pushed = false;
    Optional<String> pushNote;
    if (!settings.push()) {
      pushNote = Optional.of("pr_automation.push is off");
    } else {
      CommandResult r = git.run("push", "--set-upstream", settings.remote(), worktree.branch());
      pushed = r.succeeded();
      pushNote = pushed ? Optional.empty() : Optional.of("push rejected: " + remoteSaid(r));
    }
    if (!pushed) {
      return new PublishResult(
          worktree.branch(),
          commits,
          head,
          false,
          pushNote,
          Optional.empty(),
          Optional.of("pull request skipped: the branch is not on " + settings.remote()));
    }
    return openPullRequest(worktree, task, gate, summary, commits, head);
  }

  private PublishResult openPullRequest(
      Worktree worktree,
      Task task,
      Optional<GateResult> gate,
      String summary,
      int commits,
      String head) {
    if (!gh(worktree, List.of("--version")).succeeded()) {
      return pushedOnly(
          worktree,
          commits,
          head,
          "pull request skipped: gh is not installed (https://cli.github.com)");
    }
    if (rest) {
      return openOverRest(worktree, task, gate, summary, commits, head);
    }
    if (!gh(worktree, List.of("auth", "status")).succeeded()) {
      return pushedOnly(
          worktree, commits, head, "pull request skipped: gh is not logged in (run gh auth login)");
    }
    List<String> create = new ArrayList<>(List.of("pr", "create"));
    if (settings.draft() || needsHuman(task)) {
      create.add("--draft");
    }
    // A stacked task's pull request targets the branch it stacks on, while that is on the remote
    // and the stack was not dropped (that task failed).
    task.fact(TaskFacts.STACKED_ON)
        .filter(b -> task.fact(TaskFacts.STACK_DROPPED).isEmpty())
        .filter(
            b ->
                worktree
                    .git()
                    .run("ls-remote", "--exit-code", settings.remote(), "refs/heads/" + b)
                    .succeeded())
        .or(settings::baseBranch)
        .ifPresent(b -> create.addAll(List.of("--base", b)));
    create.addAll(
        List.of(
            "--head",
            worktree.branch(),
            "--title",
            task.title(),
            "--body",
            body(task, gate, summary)));
    CommandResult pr = gh(worktree, create);
    if (!pr.succeeded()) {
      return pushedOnly(worktree, commits, head, "gh pr create failed: " + lastLines(pr, 3));
    }
    String url =
        pr.stdout()
            .lines()
            .filter(l -> l.startsWith("http"))
            .reduce((a, b) -> b)
            .orElse(pr.output().trim());
    return new PublishResult(
        worktree.branch(),
        commits,
        head,
        true,
        Optional.empty(),
        Optional.of(url),
        Optional.empty());
  }

  private CommandResult gh(Worktree worktree, List<String> args) {
    List<String> command = new ArrayList<>(List.of(ghCommand));
    command.addAll(args);
    return CommandRunner.system().run(command, worktree.path(), ghEnvironment, GH_TIMEOUT);
  }

  /**
   * Opens the pull request with {@code gh api POST repos/{owner}/{repo}/pulls}. Not {@code gh auth
   * status} first: it asks GraphQL; a logged-out {@code gh} fails the request itself, with GitHub's
   * answer.
   */
  private PublishResult openOverRest(
      Worktree worktree,
      Task task,
      Optional<GateResult> gate,
      String summary,
      int commits,
      String head) {
    Optional<String> base = settings.baseBranch().or(() -> remoteDefaultBranch(worktree));
    if (base.isEmpty()) {
      return pushedOnly(
          worktree,
          commits,
          head,
          "pull request skipped: set pr_automation.base_branch (the remote names no default"
              + " branch)");
    }
    List<String> create =
        new ArrayList<>(
            List.of(
                "api",
                "-X",
                "POST",
                "repos/{owner}/{repo}/pulls",
                "-f",
                "title=" + task.title(),
                "-f",
                "head=" + worktree.branch(),
                "-f",
                "base=" + base.get(),
                "-f",
                "body=" + body(task, gate, summary),
                "-F",
                "draft=" + (settings.draft() || needsHuman(task)),
                "--jq",
                ".html_url"));
    CommandResult pr = gh(worktree, create);
    if (!pr.succeeded()) {
      return pushedOnly(worktree, commits, head, "gh api POST pulls failed: " + lastLines(pr, 3));
    }
    String url = pr.stdout().strip();
    return new PublishResult(
        worktree.branch(),
        commits,
        head,
        true,
        Optional.empty(),
        url.isEmpty() ? Optional.empty() : Optional.of(url),
        url.isEmpty()
            ? Optional.of("GitHub answered without the pull request's URL")
            : Optional.empty());
  }

  /** The remote's default branch as git recorded it ({@code refs/remotes/REMOTE/HEAD}). */
  private Optional<String> remoteDefaultBranch(Worktree worktree) {
    CommandResult r =
        worktree
            .git()
            .run("symbolic-ref", "--short", "refs/remotes/" + settings.remote() + "/HEAD");
    if (!r.succeeded() || r.stdout().isBlank()) {
      return Optional.empty();
    }
    String ref = r.stdout().strip();
    String prefix = settings.remote() + "/";
    return Optional.of(ref.startsWith(prefix) ? ref.substring(prefix.length()) : ref);
  }

  /** The branch is pushed, but no pull request was opened, for {@code why}. */
  private static PublishResult pushedOnly(Worktree worktree, int commits, String head, String why) {
    return new PublishResult(
        worktree.branch(),
        commits,
        head,
        true,
        Optional.empty(),
        Optional.empty(),
        Optional.of(why));
  }

  /**
   * The pull request body: the task, why it was chosen, the gate's verdict, the acceptance check
   * and the reviewer's verdict when there are, what the agent said.
   */
  static String body(Task task, Optional<GateResult> gate, String summary) {
    StringBuilder b = new StringBuilder();
    if (needsHuman(task)) {
      // First, so nobody merges it unaware: the branch holds the task's own commits only.
      String base = syncedBase(task).orElse("its base");
      b.append("## Needs a human\n\n")
          .append(
              task.fact(TaskFacts.CONFLICT_FILES)
                  .map(
                      f ->
                          "Conflicts with "
                              + base
                              + " in: "
                              + String.join(", ", f.lines().toList())
                              + " — needs a human.")
                  .orElse("Fails the quality gate with " + base + " taken in — needs a human."))
          .append(" This branch holds the task's own work; take ")
          .append(base)
          .append(" in before merging.\n\n");
    }
    b.append("## Task\n\n").append(task.prompt()).append("\n\n");
    String rationale = task.fact(TaskFacts.RATIONALE).orElse(null);
    if (rationale != null) {
      b.append("## Why\n\n").append(rationale).append("\n\n");
    }
    gate.ifPresent(
        g -> {
          b.append("## Quality gate\n\n").append(g.summary()).append("\n");
          if (!g.passed()) {
            b.append("\n```\n").append(g.outputTail()).append("\n```\n");
          }
          b.append('\n');
        });
    task.fact(TaskFacts.ACCEPTANCE_CHECK)
        .ifPresent(c -> b.append("## Acceptance check\n\n").append(c).append("\n\n"));
    task.fact(TaskFacts.REVIEW_VERDICT)
        .ifPresent(
            v -> {
              b.append("## Review\n\n").append(v.replace('_', ' ')).append("\n\n");
              task.fact(TaskFacts.REVIEW_REASONS)
                  .ifPresent(r -> r.lines().forEach(l -> b.append("- ").append(l).append('\n')));
              b.append('\n');
            });
    if (!summary.isBlank()) {
      b.append("## Session summary\n\n").append(summary).append("\n\n");
    }
    // GitHub closes the issue when the pull request merges.
    task.fact(TaskFacts.ISSUE_NUMBER).ifPresent(n -> b.append("Fixes #").append(n).append("\n\n"));
    b.append("_Opened by Overnight (task ")
        .append(task.id())
        .append(", attempt ")
        .append(task.attempts())
        .append(")._\n");
    return b.toString();
  }

  /**
   * Whether the task's branch could not be brought up to date with its base before its pull request
   * opened: the pull request is a draft saying so.
   */
  private static boolean needsHuman(Task task) {
    return task.fact(TaskFacts.BASE_SYNC)
        .filter(SyncOutcome.NEEDS_RESOLUTION.key()::equals)
        .isPresent();
  }

  /** The base the last sync tried, as {@link TaskFacts#BASE_SYNCS} records it. */
  private static Optional<String> syncedBase(Task task) {
    return task.fact(TaskFacts.BASE_SYNCS)
        .flatMap(l -> l.lines().reduce((a, b) -> b))
        .map(l -> l.split(" "))
        .filter(f -> f.length >= 4)
        .map(f -> f[2]);
  }

  /**
   * What the remote said about a failed push (its "remote:" lines and the rejection), in one line.
   */
  private static String remoteSaid(CommandResult r) {
    String said =
        r.output()
            .lines()
            .map(String::trim)
            .filter(
                l ->
                    l.startsWith("remote:")
                        || l.startsWith("!")
                        || l.startsWith("error:")
                        || l.startsWith("fatal:"))
            .map(l -> l.replaceFirst("^remote:\\s*", ""))
            .filter(l -> !l.isEmpty())
            .collect(java.util.stream.Collectors.joining("; "));
    return said.isEmpty() ? r.describe() : said;
  }

  private static String lastLines(CommandResult r, int n) {
    String tail = r.tail(n).replace('\n', ' ').trim();
    return tail.isEmpty() ? r.describe() : tail;
  }
}
