package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.IssueSettings;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.NotifierSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.json.ShapeSchemas;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.FakeAgent;
import dev.overnight.fakes.FakeTurn;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day in the life of Overnight's pull requests, on virtual time, against the GitHub imitation and
 * a real bare remote: the night opens one pull request per case, the day happens to them on GitHub
 * (checks fail, reviewers ask for changes, a human pushes, someone closes one, one is merged and
 * another now conflicts with main), the next cycles follow them up and bring them up to date, and
 * each case's outcome must show in the morning report and in the one message sent when the window
 * closes.
 *
 * <p>Each {@link Case} is one pull request's or one issue's story: an issue labelled before the
 * night becomes a task whose pull request the issue hears of; one labelled during the day, waiting
 * behind the follow-ups once the night's budget is spent, and unlabelled, is cancelled. A new
 * scenario is one more case in {@link #cases()}, sharing the same day.
 */
class DayOnVirtualTimeTest {
  private static final String TOKEN = "ghp_day-token";
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final Instant WINDOW_END = Instant.parse("2026-11-25T05:00:00Z");
  private static final Usage TURN = new Usage(800, 200, 0, 0, Optional.of(0.01));

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final BlockingQueue<String> hook = new LinkedBlockingQueue<>();
  private GitHubImitation github;
  private ImitatedPullRequests pullRequests;
  private HttpServer receiver;
  private Path bare;
  private Git workspace;
  private OvernightRuntime runtime;

  /** What the day is made of, for the cases to act on and look at. */
  final class Day {
    GitHubImitation github() {
      return github;
    }

    /** A person's clone of the remote, committing as them. */
    Git person(String name) {
      return DayOnVirtualTimeTest.this.repository(
          dir.resolve("people").resolve(name), name, name + "@example.com");
    }

    /** Queues a task titled {@code title}, as someone would before the night. */
    void enqueue(String title) {
      runtime.taskQueue().enqueue(TaskSpec.builder("Do this: " + title).title(title).build());
    }

    /** Queues a task titled {@code title} for the agent {@code agentId}. */
    void enqueue(String title, String agentId) {
      runtime
          .taskQueue()
          .enqueue(TaskSpec.builder("Do this: " + title).title(title).agentId(agentId).build());
    }

    /** Merges pull request {@code pr} of {@code branch} into main, as its merge button would. */
    void merge(long pr, String branch) {
      Git maintainer = person("maintainer");
      maintainer.check("fetch", "-q", "origin", "main", branch);
      maintainer.check("checkout", "-q", "-B", "main", "origin/main");
      maintainer.check("merge", "-q", "--no-ff", "-m", "Merge " + branch, "origin/" + branch);
      maintainer.check("push", "-q", "origin", "main");
      github.merge(pr);
    }

    /** The content of {@code file} on the remote's {@code branch}. */
    String remoteFile(String branch, String file) {
      return new Git(bare).check("show", "refs/heads/" + branch + ":" + file);
    }

    /** The task titled {@code title}, if the night has one. */
    Optional<Task> task(String title) {
      List<Task> titled =
          runtime.taskQueue().list(TaskFilter.all()).items().stream()
              .filter(t -> t.title().equals(title))
              .toList();
      assertThat(titled).as("tasks titled " + title).hasSizeLessThan(2);
      return titled.stream().findFirst();
    }

    /** The commits on the remote's {@code branch}, as {@code "author subject"}, newest first. */
    List<String> remoteLog(String branch) {
      return new Git(bare).check("log", "--format=%an %s", "refs/heads/" + branch).lines().toList();
    }
  }

  /** What the day left of one case: its task, its follow-ups and what was said about them. */
  record Outcome(
      Task task,
      Optional<Long> pullRequest,
      Optional<String> pushedBranch,
      List<Task> followUps,
      List<String> comments,
      String report,
      JsonNode notification) {

    /** The case's pull request. */
    String prUrl() {
      return url(pullRequest.orElseThrow());
    }

    /** The case's branch. */
    String branch() {
      return pushedBranch.orElseThrow();
    }

    /** The notification's lines about this case (its task, its follow-ups, its pull request). */
    List<String> told() {
      List<String> lines = new ArrayList<>();
      for (JsonNode i : notification.get("items")) {
        if (i.path("title").asText().endsWith(task.title())) {
          lines.add(i.get("outcome").asText() + ": " + i.get("title").asText());
        }
      }
      return lines;
    }
  }

  /** One pull request's (or one issue's) story through the day. */
  interface Case {
    /** The task the night works on; its pull request, if it opens one, is the case's. */
    String title();

    /** How the task comes to the night: queued by someone, unless it comes from an issue. */
    default void beforeTheNight(Day day) {
      day.enqueue(title());
    }

    /** What happens to the pull request on GitHub once the night opened it. */
    default void duringTheDay(Day day, long pr, String branch) {}

    /** What happens on GitHub during the day whatever the night did (an issue labelled). */
    default void meanwhile(Day day) {}

    /** What happens after the follow-ups of the day ran (a check passing now). */
    default void afterFollowUps(Day day, long pr, String branch) {}

    /** What happens on GitHub after the follow-ups ran, whatever the night did. */
    default void meanwhileAfterFollowUps(Day day) {}

    /** What the report, the queue, GitHub and the one end-of-night message must show. */
    void check(Day day, Outcome outcome);
  }

  private List<Case> cases() {
    return List.of(
        new Case() {
          @Override
          public String title() {
            return "Add sub";
          }

          @Override
          public void duringTheDay(Day day, long pr, String branch) {
            day.github()
                .actionsCheck(pr, "build", "failure", "AppTest.sub: expected 1 but was -1\n");
          }

          @Override
          public void afterFollowUps(Day day, long pr, String branch) {
            day.github().actionsCheck(pr, "build", "success", "All tests passed\n");
          }

          @Override
          public void check(Day day, Outcome o) {
            assertThat(o.followUps())
                .singleElement()
                .satisfies(
                    f -> {
                      assertThat(f.status()).isEqualTo(TaskStatus.COMPLETED);
                      assertThat(f.metadata())
                          .containsEntry("follow_up_answering", "the failing check build");
                    });
            // Main moved on in the day when the parser was merged: the branch took it in first
            // (Overnight's commits alone, so rebased) and said so, then the follow-up answered.
            assertThat(o.comments())
                .satisfiesExactly(
                    c -> assertThat(c).isEqualTo("Brought up to date with main (rebased)."),
                    c ->
                        assertThat(c)
                            .startsWith(
                                "Overnight pushed a follow-up answering the failing check build"));
            assertThat(TaskFacts.PR_STATE.from(o.task())).hasValue("open");
            assertThat(o.report())
                .contains(o.prUrl() + " (open)")
                .contains("follow-up answering the failing check build");
            assertThat(o.told())
                .contains(
                    "completed: Add sub",
                    "completed: Follow up: Add sub",
                    "pull request checks failing: Add sub",
                    "pull request open: Add sub");
          }
        },
        new Case() {
          @Override
          public String title() {
            return "Rename the helpers";
          }

          @Override
          public void duringTheDay(Day day, long pr, String branch) {
            day.github()
                .review(
                    pr,
                    "dave",
                    "CHANGES_REQUESTED",
                    "Close, but not quite.",
                    new String[] {"WORK.md", "1", "Say which helpers."});
          }

          @Override
          public void check(Day day, Outcome o) {
            assertThat(o.followUps())
                .singleElement()
                .satisfies(
                    f ->
                        assertThat(f.metadata())
                            .containsEntry("follow_up_answering", "the review of dave"));
            // Main moved in the day: the branch took it in before the review was answered.
            assertThat(o.comments())
                .satisfiesExactly(
                    c -> assertThat(c).isEqualTo("Brought up to date with main (rebased)."),
                    c ->
                        assertThat(c)
                            .startsWith(
                                "Overnight pushed a follow-up answering the review of dave"));
            // dave has not looked again: his review still asks for changes, and was answered.
            assertThat(o.report()).contains(o.prUrl() + " (changes requested)");
            assertThat(o.told())
                .contains(
                    "completed: Follow up: Rename the helpers",
                    "pull request changes requested: Rename the helpers");
          }
        },
        new Case() {
          @Override
          public String title() {
            return "Document the API";
          }

          @Override
          public void duringTheDay(Day day, long pr, String branch) {
            Git hannah = day.person("hannah");
            hannah.check("fetch", "-q", "origin", branch);
            hannah.check("checkout", "-q", "-b", branch, "FETCH_HEAD");
            write(hannah.dir().resolve("API.md"), "# API\n");
            hannah.check("add", "-A");
            hannah.check("commit", "-q", "-m", "Start the API page");
            hannah.check("push", "-q", "origin", branch);
            day.github().appCheck(pr, "docs", "failure", "API.md: no section on errors");
          }

          @Override
          public void check(Day day, Outcome o) {
            assertThat(o.followUps())
                .singleElement()
                .satisfies(f -> assertThat(f.status()).isEqualTo(TaskStatus.COMPLETED));
            List<String> log = day.remoteLog(o.branch());
            assertThat(log.get(0)).startsWith("Dev ");
            assertThat(log).contains("hannah Start the API page");
            assertThat(o.report()).contains(o.prUrl() + " (open)");
            assertThat(o.told())
                .contains(
                    "completed: Follow up: Document the API",
                    "pull request checks failing: Document the API");
          }
        },
        new Case() {
          @Override
          public String title() {
            return "Try a new cache";
          }

          @Override
          public void duringTheDay(Day day, long pr, String branch) {
            day.github().actionsCheck(pr, "build", "failure", "not wanted anyway\n");
            day.github().closeUnmerged(pr);
          }

          @Override
          public void check(Day day, Outcome o) {
            assertThat(o.followUps()).isEmpty();
            assertThat(o.comments()).isEmpty();
            assertThat(TaskFacts.PR_STATE.from(o.task())).hasValue("closed");
            assertThat(o.report()).contains(o.prUrl() + " (closed)");
            assertThat(o.told())
                .containsExactly(
                    "completed: Try a new cache", "pull request closed: Try a new cache");
          }
        },
        // Two pull requests adding the same file: once the first is merged, the second conflicts
        // with main; the next cycle has its agent resolve it, and the others take main in.
        new Case() {
          @Override
          public String title() {
            return "Deepen the parser";
          }

          @Override
          public void beforeTheNight(Day day) {
            day.enqueue(title(), "codex");
          }

          // Merged before the follow-ups spend the night's budget: a sync's turns count in it,
          // and no sync starts once it is spent.
          @Override
          public void duringTheDay(Day day, long pr, String branch) {
            day.merge(pr, branch);
          }

          @Override
          public void check(Day day, Outcome o) {
            assertThat(TaskFacts.PR_STATE.from(o.task())).hasValue("merged");
            assertThat(TaskFacts.BASE_SYNC.from(o.task())).as("merged: not synced").isEmpty();
            assertThat(o.report()).contains(o.prUrl() + " (merged)");
            assertThat(o.told()).contains("pull request merged: Deepen the parser");
          }
        },
        new Case() {
          @Override
          public String title() {
            return "Bound the parser";
          }

          @Override
          public void beforeTheNight(Day day) {
            day.enqueue(title(), "codex");
          }

          @Override
          public void check(Day day, Outcome o) {
            assertThat(TaskFacts.BASE_SYNC.from(o.task())).hasValue("resolved");
            assertThat(TaskFacts.CONFLICT_FILES.from(o.task())).hasValue("Parser.java");
            assertThat(day.remoteFile(o.branch(), "Parser.java"))
                .isEqualTo("class Parser {\n  int depth = 2;\n  int max = 10;\n}");
            assertThat(day.remoteLog(o.branch()))
                .as("the agent's resolution is pushed on top of the night's work")
                .first()
                .asString()
                .startsWith("Dev Merge main");
            assertThat(o.report())
                .contains(o.prUrl() + " (open), conflict with main resolved by the agent");
            assertThat(o.comments())
                .containsExactly("Resolved a conflict with main in Parser.java.");
            assertThat(o.told())
                .contains(
                    "completed: Bound the parser",
                    "pull request resolved with its base: Bound the parser");
          }
        },
        new Case() {
          @Override
          public String title() {
            return "#21 Document the setup";
          }

          @Override
          public void beforeTheNight(Day day) {
            day.github()
                .issue(
                    21, "Document the setup", "The README says nothing about setup.", "overnight");
          }

          @Override
          public void check(Day day, Outcome o) {
            assertThat(o.task().status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(TaskFacts.ISSUE_NUMBER.from(o.task())).contains(21L);
            assertThat(o.task().prompt()).contains("Resolve GitHub issue #21: Document the setup");
            assertThat(o.followUps()).isEmpty();
            assertThat(day.github().issueComments(21))
                .as("the issue hears of its pull request once")
                .singleElement()
                .satisfies(
                    c -> assertThat(c).contains(o.prUrl()).contains("opened a pull request"));
            assertThat(o.report()).contains("#21 Document the setup").contains(o.prUrl());
            assertThat(o.report())
                .as("main moved on when the parser was merged: taken in without a conflict")
                .contains(o.prUrl() + " (open), rebased on main");
            assertThat(day.remoteFile(o.branch(), "Parser.java")).contains("depth = 2");
            assertThat(o.comments()).containsExactly("Brought up to date with main (rebased).");
            assertThat(o.told())
                .contains(
                    "completed: #21 Document the setup",
                    "pull request open: #21 Document the setup");
          }
        },
        new Case() {
          @Override
          public String title() {
            return "#22 Rename the module";
          }

          @Override
          public void beforeTheNight(Day day) {}

          @Override
          public void meanwhile(Day day) {
            // Labelled during the day: queued at the next cycle, behind the follow-ups, which
            // use the night's budget up.
            day.github().issue(22, "Rename the module", "Call it core.", "overnight", "someday");
          }

          @Override
          public void meanwhileAfterFollowUps(Day day) {
            day.github().unlabel(22, "overnight");
          }

          @Override
          public void check(Day day, Outcome o) {
            assertThat(o.task().status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(o.pullRequest()).isEmpty();
            assertThat(day.github().issueComments(22)).isEmpty();
            assertThat(o.report()).contains("#22 Rename the module").contains("cancelled");
            assertThat(o.told()).containsExactly("cancelled: #22 Rename the module");
          }
        });
  }

  @BeforeEach
  void aRepositoryARemoteGitHubAndAWebhook() throws IOException {
    github = new GitHubImitation(TOKEN);
    pullRequests = new ImitatedPullRequests(github);
    bare = dir.resolve("remote.git");
    Files.createDirectories(bare);
    new Git(bare).check("init", "-q", "--bare", "-b", "main");
    github.followPushesTo(bare);
    workspace = repository(dir.resolve("repo"), "Dev", "dev@example.com");
    write(workspace.dir().resolve("README.md"), "# Demo\n");
    workspace.check("add", "-A");
    workspace.check("commit", "-q", "-m", "Start");
    workspace.check("push", "-q", "origin", "main");
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          hook.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void closeAll() {
    if (runtime != null) {
      runtime.close();
    }
    receiver.stop(0);
    assertThat(github.violations()).isEmpty();
    github.close();
  }

  private Git repository(Path where, String name, String email) {
    return ImitatedPullRequests.repository(where, name, email, bare);
  }

  private static void write(Path file, String content) {
    ImitatedPullRequests.write(file, content);
  }

  private static String url(long n) {
    return ImitatedPullRequests.url(n);
  }

  /**
   * The parser's agent: its first task adds Parser.java, its second adds another Parser.java, and
   * its next turn resolves the conflict between them.
   */
  private FakeAgent codex() {
    return FakeAgent.builder("codex")
        .timeSource(time)
        .session(parser("class Parser {\n  int depth = 2;\n}\n"))
        .session(parser("class Parser {\n  int depth = 1;\n  int max = 10;\n}\n"))
        .session(parser("class Parser {\n  int depth = 2;\n  int max = 10;\n}\n"))
        .build();
  }

  private static FakeTurn parser(String content) {
    return FakeTurn.builder().write("Parser.java", content).message("Wrote the parser.").endTurn();
  }

  /** Every turn, first or follow-up, adds a line to the worktree's WORK.md. */
  private FakeAgent agent() {
    return FakeAgent.builder("claude-code")
        .timeSource(time)
        .session(
            FakeTurn.builder()
                .act(
                    worktree -> {
                      try {
                        Files.writeString(
                            worktree.resolve("WORK.md"),
                            "worked at " + time.instant() + "\n",
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    })
                .message("Did what was asked.")
                .endTurn(TURN))
        .build();
  }

  private OrchestrationConfig config() {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.dir().toString()))
        .id("day")
        .maxConcurrent(1)
        .maxAttempts(1)
        .decision(new DecisionSettings(30, 20, List.of()))
        .schedule(
            Schedule.cron("*/30 1-5 * * *")
                .withTimezone(ZoneOffset.UTC)
                .withWindow(LocalTime.of(1, 0), LocalTime.of(5, 0)))
        .prAutomation(
            new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin"))
        .notifications(List.of(NotifierSettings.of(0, "webhook", Map.of("url_env", "HOOK_URL"))))
        .issues(new IssueSettings(true, "overnight", Map.of("someday", TaskPriority.LOW)))
        // Spent by the first night's turns and the follow-ups': an issue labelled since waits.
        .limits(
            new Limits(
                new SpendingLimit(Optional.of(7_500L), Optional.empty(), Optional.empty()),
                SpendingLimit.unbounded(),
                Limits.DEFAULT_STUCK_AFTER_SEC,
                Limits.DEFAULT_CANCEL_GRACE_SEC))
        .build();
  }

  @Test
  void eachPullRequestsDayEndsInTheReportAndInTheNightsOneMessage() throws Exception {
    List<Case> cases = cases();
    runtime =
        OvernightRuntime.builder(config())
            .statePaths(new StatePaths(dir.resolve("state")))
            .timeSource(time)
            .environment(
                Map.of("HOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"))
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .cycleExecutor(Runnable::run)
            .decisionEngine(context -> Optional.empty())
            .agentProvider(agent())
            .agentProvider(codex())
            .pullRequestPublisher(pullRequests.publisher())
            .pullRequestForge(
                GitHubPullRequests.of(
                    github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10)))
            .gitHubIssues(
                GitHubIssues.of(
                    github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10)))
            .build();
    Day day = new Day();
    for (Case c : cases) {
      c.beforeTheNight(day);
    }

    // 01:00 — the night opens one pull request per case.
    runtime.runOnce();
    for (Case c : cases) {
      pullRequestOf(day, c)
          .ifPresent(branch -> c.duringTheDay(day, pullRequests.numberOf(branch), branch));
      c.meanwhile(day);
    }
    // 01:30 — follow-ups on what the checks and reviewers said.
    time.advance(Duration.ofMinutes(30));
    runtime.runOnce();
    for (Case c : cases) {
      pullRequestOf(day, c)
          .ifPresent(branch -> c.afterFollowUps(day, pullRequests.numberOf(branch), branch));
      c.meanwhileAfterFollowUps(day);
    }
    // 02:00 — where each pull request stands now.
    time.advance(Duration.ofMinutes(30));
    runtime.runOnce();
    assertThat(hook).as("nothing is told while the window is open").isEmpty();

    time.runUntil(WINDOW_END);

    String message = hook.poll(30, TimeUnit.SECONDS);
    assertThat(message).as("the night's message").isNotNull();
    JsonNode night = OvernightJson.read(message);
    assertThat(ShapeSchemas.errors("notification.schema.json", night)).isEmpty();
    assertThat(night.get("kind").asText()).isEqualTo("night_ended");
    String report = Files.readString(dir.resolve("state").resolve("reports").resolve("latest.md"));
    List<Task> all = runtime.taskQueue().list(TaskFilter.all()).items();
    for (Case c : cases) {
      Task task = day.task(c.title()).orElseThrow(() -> new AssertionError("no " + c.title()));
      Optional<String> branch = pullRequestOf(day, c);
      Optional<Long> pr = branch.map(pullRequests::numberOf);
      List<Task> followUps =
          all.stream()
              .filter(t -> TaskFacts.FOLLOW_UP_OF.from(t).equals(Optional.of(task.id().toString())))
              .toList();
      List<String> comments = pr.map(github::commentsOn).orElse(List.of());
      c.check(day, new Outcome(task, pr, branch, followUps, comments, report, night));
    }
    runtime.close();
    assertThat(hook.poll(0, TimeUnit.SECONDS)).as("the night was told once").isNull();
  }

  /** The branch of the case's pull request, if its task opened one. */
  private Optional<String> pullRequestOf(Day day, Case c) {
    return day.task(c.title()).flatMap(TaskFacts.BRANCH::from).filter(pullRequests::opened);
  }
}
