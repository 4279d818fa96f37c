package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.coordinator.GhPullRequestPublisher;
import dev.overnight.core.coordinator.PublishResult;
import dev.overnight.core.coordinator.PullRequestFollowUps;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.Worktree;
import dev.overnight.core.worktree.WorktreeManager;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code gh} (Debian's package) against the GitHub imitation served over HTTPS with a
 * certificate authority made here: a pull request opened with {@code gh api POST}, then its state
 * read with {@code gh api GET}s; without a token, a follow-up's comment and an issue's read and
 * comment through gh's own login; every response held to GitHub's OpenAPI description. Skipped only
 * when {@code gh} is not installed and this is not CI; on CI ({@code CI} set) a missing {@code gh}
 * fails.
 */
class RealGhTest {
  private static final String TOKEN = "ghe_test-token-0123456789";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Made once: keytool starts a JVM for each of its seven steps. */
  @TempDir static Path tls;

  private static TestCertificateAuthority ca;

  @TempDir Path dir;
  private GitHubImitation github;
  private Map<String, String> ghEnvironment;
  private Path repo;

  @BeforeEach
  void ghAndAnImitationOverHttps() throws IOException {
    boolean installed = onPath("gh");
    if (!installed && System.getenv("CI") != null) {
      throw new AssertionError(
          "gh is not installed, and CI must run this test (.ci/run installs gh)");
    }
    Assumptions.assumeTrue(
        installed, "gh is not installed: apt-get install gh (CI installs it and runs this test)");
    synchronized (RealGhTest.class) {
      if (ca == null) {
        ca = TestCertificateAuthority.create(tls.resolve("ca"));
      }
    }
    github = new GitHubImitation(TOKEN, ca.https());
    ghEnvironment = new HashMap<>();
    ghEnvironment.put("GH_HOST", github.host());
    ghEnvironment.put("GH_ENTERPRISE_TOKEN", TOKEN);
    ghEnvironment.put("GH_REPO", github.host() + "/octo/app");
    ghEnvironment.put("SSL_CERT_FILE", ca.caPem().toString());
    ghEnvironment.put(
        "GH_CONFIG_DIR", Files.createDirectories(dir.resolve("gh-config")).toString());
    // Nothing of the machine's own GitHub login may take part.
    for (String v :
        new String[] {"GH_TOKEN", "GITHUB_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "SSL_CERT_DIR"}) {
      ghEnvironment.put(v, null);
    }
    repo = repository();
  }

  @AfterEach
  void everyResponseConformedToGitHubsDescription() {
    if (github != null) {
      assertThat(github.violations()).isEmpty();
      github.close();
    }
  }

  @Test
  void aPullRequestOpenedThroughGhHasItsStateReadThroughGh() throws IOException {
    PrAutomation pr =
        new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin");
    Worktree wt = worktreeWithWork(pr);

    PublishResult published =
        GhPullRequestPublisher.overRest(pr, "gh", ghEnvironment)
            .publish(wt, task(), Optional.empty(), "Added tests.");

    assertThat(published.prNote()).isEmpty();
    assertThat(published.prUrl()).contains("https://" + github.host() + "/octo/app/pull/1");
    GitHubImitation.Pull opened = github.pulls().get(1L);
    assertThat(opened.branch).isEqualTo(wt.branch());
    assertThat(opened.base).isEqualTo("main");
    assertThat(opened.draft).isTrue();
    assertThat(opened.title).isEqualTo("Add tests");
    assertThat(opened.body).startsWith("## Task\n\nWrite tests").contains("## Session summary");

    GitHubPullRequests client =
        GitHubPullRequests.of(
                URI.create("https://" + github.host() + "/api/v3"),
                "octo",
                "app",
                Optional.empty(),
                TIMEOUT)
            .throughGh("gh", repo, ghEnvironment);
    assertThat(client.throughGh()).isTrue();
    assertThat(client.stateOf(wt.branch())).contains(PullRequestState.OPEN);

    opened.checkConclusions.add("failure");
    assertThat(client.stateOf(wt.branch())).contains(PullRequestState.CHECKS_FAILING);
    opened.checkConclusions.clear();
    opened.reviews.add(new String[] {"alice", "CHANGES_REQUESTED"});
    assertThat(client.state(1)).isEqualTo(PullRequestState.CHANGES_REQUESTED);
    opened.state = "closed";
    opened.merged = true;
    assertThat(client.stateOf(wt.branch())).contains(PullRequestState.MERGED);

    assertThat(github.requests())
        .startsWith("POST /repos/octo/app/pulls", "GET /repos/octo/app/pulls")
        .contains(
            "GET /repos/octo/app/commits/" + GitHubImitation.headSha(wt.branch()) + "/check-runs",
            "GET /repos/octo/app/pulls/1/reviews");
  }

  @Test
  void aRefusedTokenIsAnErrorSayingWhatGhWasAsked() {
    Map<String, String> wrong = new HashMap<>(ghEnvironment);
    wrong.put("GH_ENTERPRISE_TOKEN", "not-the-token");
    GitHubPullRequests client =
        GitHubPullRequests.of(
                URI.create("https://" + github.host() + "/api/v3"),
                "octo",
                "app",
                Optional.empty(),
                TIMEOUT)
            .throughGh("gh", repo, wrong);

    assertThatThrownBy(() -> client.stateOf("overnight/a-1"))
        .isInstanceOf(OrchestrationException.class)
        .hasMessageStartingWith("gh api GET /repos/octo/app/pulls failed: ")
        .hasMessageContaining("401")
        .hasMessageNotContaining("not-the-token");
  }

  @Test
  void withoutATokenAFollowUpsCommentAndAnIssueCommentGoThroughGhsOwnLogin() throws IOException {
    // What the runtime sees: the host gh asks and its certificate, gh's own login, no token.
    Map<String, String> runtime = new HashMap<>();
    runtime.put("GH_HOST", github.host());
    runtime.put("SSL_CERT_FILE", ca.caPem().toString());
    runtime.put("GH_CONFIG_DIR", ghLoggedIn().toString());
    GhCli gh = GhCli.forEnvironment(repo, runtime);
    Git git = new Git(repo);
    git.check("remote", "set-url", "origin", "https://" + github.host() + "/octo/app.git");
    git.check("remote", "set-url", "--push", "origin", dir.resolve("remote.git").toString());
    PrAutomation pr =
        new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin");
    OrchestrationConfig config = config(pr);
    Worktree wt = worktreeWithWork(pr);
    PublishResult opened =
        GhPullRequestPublisher.overRest(pr, "gh", ghEnvironment)
            .publish(wt, task(), Optional.empty(), "Added tests.");
    git.check("worktree", "remove", "--force", wt.path().toString());

    PullRequestFollowUps followUps =
        PullRequestFollowUps.forConfig(config, runtime, gh).orElseThrow();
    Task followUp = followUp(wt.branch(), opened.prUrl().orElseThrow(), opened.head());
    Worktree fix = new WorktreeManager(config, dir.resolve("wts")).prepare(followUp);
    Files.writeString(fix.path().resolve("Build.java"), "class Build {}\n");
    PublishResult pushed = followUps.publish(fix, followUp, Optional.empty(), "Fixed the build.");

    assertThat(pushed.pushed()).isTrue();
    assertThat(pushed.prNote()).isEmpty();
    assertThat(github.commentsOn(1))
        .singleElement()
        .asString()
        .startsWith("Overnight pushed a follow-up answering the failing check build: 1 commit")
        .contains("Build.java");

    github.issue(7, "Parser drops comments", "Keep them.", "overnight");
    GitHubIssues issues =
        GitHubIssues.forRemote("https://" + github.host() + "/octo/app.git", runtime, TIMEOUT, gh)
            .orElseThrow();
    assertThat(issues.throughGh()).isTrue();
    assertThat(issues.openLabelled("overnight"))
        .extracting(GitHubIssue::number)
        .containsExactly(7L);
    assertThat(issues.openLabelled("overnight"))
        .extracting(GitHubIssue::number)
        .containsExactly(7L);
    assertThat(github.notModified()).as("asked again with the ETag").hasSize(1);
    assertThat(issues.issue(99)).isEmpty();
    URI comment = issues.comment(7, "Overnight opened a pull request for this issue.");
    assertThat(comment.toString()).contains("/octo/app/issues/7#issuecomment-1");
    assertThat(github.issueComments(7))
        .containsExactly("Overnight opened a pull request for this issue.");
    assertThat(issues.comments(7))
        .containsExactly("Overnight opened a pull request for this issue.");
    assertThat(github.requests())
        .contains(
            "POST /repos/octo/app/issues/1/comments", "POST /repos/octo/app/issues/7/comments");
  }

  @Test
  void aGhWithoutALoginIsNotChosen() throws IOException {
    Map<String, String> runtime = new HashMap<>();
    runtime.put("GH_HOST", github.host());
    runtime.put("GH_CONFIG_DIR", Files.createDirectories(dir.resolve("gh-logged-out")).toString());
    GhCli gh = GhCli.forEnvironment(repo, runtime);
    String remote = "https://" + github.host() + "/octo/app.git";
    new Git(repo).check("remote", "set-url", "origin", remote);
    OrchestrationConfig config =
        config(new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin"));

    assertThat(gh.loggedInTo(URI.create("https://" + github.host() + "/api/v3"))).isFalse();
    assertThat(PullRequestFollowUps.forConfig(config, runtime, gh)).isEmpty();
    assertThat(GitHubIssues.forRemote(remote, runtime, TIMEOUT, gh).orElseThrow().throughGh())
        .isFalse();
    GitHubPullRequests withToken =
        GitHubPullRequests.forRemote(remote, Map.of("GH_ENTERPRISE_TOKEN", TOKEN), TIMEOUT, gh)
            .orElseThrow();
    assertThat(withToken.authenticated()).isTrue();
    assertThat(withToken.throughGh()).isFalse();
    assertThat(github.requests()).as("nothing asked of GitHub to choose").isEmpty();
  }

  /** A gh configuration folder logged in to the imitation, as {@code gh auth login} leaves it. */
  private Path ghLoggedIn() throws IOException {
    Path config = Files.createDirectories(dir.resolve("gh-logged-in"));
    Files.writeString(
        config.resolve("hosts.yml"),
        github.host()
            + ":\n"
            + "    oauth_token: "
            + TOKEN
            + "\n"
            + "    user: octo\n"
            + "    git_protocol: https\n");
    return config;
  }

  private OrchestrationConfig config(PrAutomation pr) {
    return OrchestrationConfig.builder(ConfigValue.of(repo.toString())).prAutomation(pr).build();
  }

  /** The follow-up of {@link #task()} answering a failing check on its pull request. */
  private static Task followUp(String branch, String prUrl, String from) {
    Instant t = Instant.parse("2026-11-25T09:00:00Z");
    return task().toBuilder()
        .id(TaskId.of("fedcba98-0000"))
        .title("Fix the build")
        .prompt("The build fails")
        .priority(TaskPriority.HIGH)
        .opHash("f")
        .createdAt(t)
        .updatedAt(t)
        .startedAt(Optional.of(t))
        .metadata(
            Map.of(
                "branch", branch,
                "pr_url", prUrl,
                "follow_up_of", "abcdef12-0000",
                "follow_up_from", from,
                "follow_up_answering", "the failing check build"))
        .build();
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  private Path repository() throws IOException {
    Path remote = dir.resolve("remote.git");
    new Git(dir).check("init", "-q", "--bare", "-b", "main", remote.toString());
    Path r = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(r);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "user.name", "Dev");
    Files.writeString(r.resolve("README.md"), "hi\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "initial");
    git.check("remote", "add", "origin", remote.toString());
    git.check("push", "-q", "origin", "main");
    return r;
  }

  private Worktree worktreeWithWork(PrAutomation pr) throws IOException {
    Worktree wt = new WorktreeManager(config(pr), dir.resolve("wts")).prepare(task());
    Files.writeString(wt.path().resolve("ParserTest.java"), "class ParserTest {}\n");
    return wt;
  }

  private static Task task() {
    Instant t = Instant.parse("2026-11-25T01:00:00Z");
    return Task.builder()
        .id(TaskId.of("abcdef12-0000"))
        .title("Add tests")
        .prompt("Write tests")
        .agentId(Optional.of("codex"))
        .priority(TaskPriority.MEDIUM)
        .opHash("h")
        .status(TaskStatus.IN_PROGRESS)
        .attempts(1)
        .maxAttempts(3)
        .workerId(Optional.of("w"))
        .leaseExpiresAt(Optional.empty())
        .createdAt(t)
        .updatedAt(t)
        .startedAt(Optional.of(t))
        .finishedAt(Optional.empty())
        .lastError(Optional.empty())
        .metadata(Map.of("rationale", "Parser.java changed 27 times"))
        .build();
  }
}
