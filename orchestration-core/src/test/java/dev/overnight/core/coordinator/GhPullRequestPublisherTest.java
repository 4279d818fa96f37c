package dev.overnight.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.WorktreeSettings;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.Worktree;
import dev.overnight.core.worktree.WorktreeManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing against a real local bare repository as the remote. */
class GhPullRequestPublisherTest {
  @TempDir Path dir;
  Path repo;
  Path remote;

  @BeforeEach
  void repositories() throws IOException {
    remote = dir.resolve("remote.git");
    new Git(dir).check("init", "-q", "--bare", "-b", "main", remote.toString());
    repo = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(repo);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "user.name", "Dev");
    Files.writeString(repo.resolve("README.md"), "hi\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "initial");
    git.check("remote", "add", "origin", remote.toString());
    git.check("push", "-q", "origin", "main");
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

  private Worktree worktreeWithWork(PrAutomation pr) throws IOException {
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(repo.toString())).prAutomation(pr).build();
    Worktree wt = new WorktreeManager(config, dir.resolve("wts")).prepare(task());
    Files.writeString(wt.path().resolve("ParserTest.java"), "class ParserTest {}\n");
    return wt;
  }

  @Test
  void commitsLeftoversAndPushesButSkipsThePullRequestWithoutGh() throws IOException {
    PrAutomation pr =
        new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin");
    Worktree wt = worktreeWithWork(pr);
    PublishResult r =
        new GhPullRequestPublisher(pr, "gh-not-installed-here")
            .publish(wt, task(), Optional.empty(), "Added tests.");
    assertThat(r.commits()).isEqualTo(1);
    assertThat(r.pushed()).isTrue();
    assertThat(r.prUrl()).isEmpty();
    assertThat(r.prNote())
        .contains("pull request skipped: gh is not installed (https://cli.github.com)");
    assertThat(new Git(remote).check("log", "-1", "--format=%s", wt.branch()))
        .isEqualTo("Add tests");
  }

  /**
   * A stand-in for {@code gh}: answers {@code --version}, {@code auth status} with {@code authExit}
   * and {@code pr create} with {@code createOutput} and {@code createExit}, recording each call's
   * arguments one per line, calls separated by "--".
   */
  private Path fakeGh(int authExit, String createOutput, int createExit) throws IOException {
    Path script = dir.resolve("gh");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "for a in \"$@\"; do printf '%s\\n' \"$a\" >> '"
            + dir.resolve("gh-calls")
            + "'; done; echo -- >> '"
            + dir.resolve("gh-calls")
            + "'\n"
            + "case \"$1\" in\n"
            + "  --version) echo 'gh version 2.99.0'; exit 0 ;;\n"
            + "  auth) echo 'auth status' >&2; exit "
            + authExit
            + " ;;\n"
            + "  pr) printf '%s\\n' '"
            + createOutput
            + "'; exit "
            + createExit
            + " ;;\n"
            + "esac\n"
            + "exit 2\n");
    script.toFile().setExecutable(true);
    return script;
  }

  private List<String> ghCalls() throws IOException {
    return List.of(Files.readString(dir.resolve("gh-calls")).split("--\n"));
  }

  @Test
  void aDraftPullRequestIsOpenedWithGhAndItsUrlKept() throws IOException {
    PrAutomation pr =
        new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin");
    Worktree wt = worktreeWithWork(pr);
    Path gh = fakeGh(0, "Creating draft pull request\nhttps://github.com/acme/app/pull/42", 0);

    PublishResult r =
        new GhPullRequestPublisher(pr, gh.toString())
            .publish(wt, task(), Optional.empty(), "Added tests.");

    assertThat(r.pushed()).isTrue();
    assertThat(r.prUrl()).contains("https://github.com/acme/app/pull/42");
    assertThat(r.prNote()).isEmpty();
    List<String> calls = ghCalls();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(1)).isEqualTo("auth\nstatus\n");
    assertThat(calls.get(2))
        .startsWith("pr\ncreate\n--draft\n--base\nmain\n--head\n" + wt.branch() + "\n")
        .contains("--title\nAdd tests\n--body\n## Task\n");
  }

  @Test
  void withGhLoggedOutOrFailingTheTaskKeepsItsPushedBranchAndTheNoteSaysWhy() throws IOException {
    PrAutomation pr =
        new PrAutomation(true, false, "overnight/", Optional.of("main"), true, "origin");
    Worktree wt = worktreeWithWork(pr);

    PublishResult loggedOut =
        new GhPullRequestPublisher(pr, fakeGh(1, "", 0).toString())
            .publish(wt, task(), Optional.empty(), "Added tests.");
    assertThat(loggedOut.pushed()).isTrue();
    assertThat(loggedOut.prUrl()).isEmpty();
    assertThat(loggedOut.prNote())
        .contains("pull request skipped: gh is not logged in (run gh auth login)");

    PublishResult failed =
        new GhPullRequestPublisher(
                pr, fakeGh(0, "GraphQL: No commits between main and x", 1).toString())
            .publish(wt, task(), Optional.empty(), "Added tests.");
    assertThat(failed.pushed()).isTrue();
    assertThat(failed.prUrl()).isEmpty();
    assertThat(failed.prNote().orElseThrow())
        .startsWith("gh pr create failed: ")
        .contains("GraphQL: No commits between main and x");
    assertThat(ghCalls().get(ghCalls().size() - 1)).doesNotContain("--draft");
  }

  @Test
  void aRejectedPushIsRecordedNotThrown() throws IOException {
    PrAutomation pr =
        new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin");
    Worktree wt = worktreeWithWork(pr);
    // The remote refuses every update.
    Path hook = remote.resolve("hooks/pre-receive");
    Files.writeString(hook, "#!/bin/sh\necho 'protected branch' >&2\nexit 1\n");
    hook.toFile().setExecutable(true);
    PublishResult r = new GhPullRequestPublisher(pr).publish(wt, task(), Optional.empty(), "");
    assertThat(r.pushed()).isFalse();
    assertThat(r.pushNote().orElseThrow())
        .startsWith("push rejected: ")
        .contains("protected branch");
    assertThat(r.prNote()).contains("pull request skipped: the branch is not on origin");
  }

  @Test
  void withAutomationOffTheWorkIsStillCommittedOnTheBranch() throws IOException {
    Worktree wt = worktreeWithWork(PrAutomation.disabled());
    PublishResult r =
        new GhPullRequestPublisher(PrAutomation.disabled())
            .publish(wt, task(), Optional.empty(), "");
    assertThat(r.commits()).isEqualTo(1);
    assertThat(r.pushed()).isFalse();
    assertThat(wt.git().isDirty()).isFalse();
  }

  @Test
  void pullRequestBodyCarriesTaskRationaleGateAndSummary() {
    String body =
        GhPullRequestPublisher.body(
            task(),
            Optional.of(
                new GateResult(
                    "mvn test", false, 1, "BUILD FAILURE", java.time.Duration.ofSeconds(30), 2)),
            "Added ParserTest.");
    assertThat(body)
        .contains("## Task\n\nWrite tests")
        .contains("## Why\n\nParser.java changed 27 times")
        .contains("failed (exit 1) — mvn test, 30 s, 2 runs")
        .contains("```\nBUILD FAILURE\n```")
        .contains("## Session summary\n\nAdded ParserTest.");
  }

  @Test
  void copiedLocalFilesNeverReachACommit() throws IOException {
    Files.writeString(repo.resolve(".env"), "TOKEN=local-secret\n");
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(repo.toString()))
            .worktree(new WorktreeSettings(Optional.empty(), List.of(".env"), 4096, false))
            .build();
    WorktreeManager manager = new WorktreeManager(config, dir.resolve("wts"));
    Worktree wt = manager.prepare(task());
    assertThat(wt.localFiles()).containsExactly(".env");

    // Only the local file changed: nothing to commit.
    wt.commitLeftovers(task(), " (work in progress)");
    assertThat(wt.git().check("rev-list", "--count", wt.base() + "..HEAD")).isEqualTo("0");

    Files.writeString(wt.path().resolve("ParserTest.java"), "class ParserTest {}\n");
    PublishResult r =
        new GhPullRequestPublisher(PrAutomation.disabled())
            .publish(wt, task(), Optional.empty(), "");
    assertThat(r.commits()).isEqualTo(1);
    assertThat(wt.git().check("ls-tree", "-r", "--name-only", "HEAD"))
        .contains("ParserTest.java")
        .doesNotContain(".env");
    assertThat(wt.path().resolve(".env")).hasContent("TOKEN=local-secret");
  }

  @Test
  void aBranchThatCouldNotTakeInItsBaseSaysFirstThatItNeedsAHuman() {
    Task task = task();
    Map<String, String> facts = new java.util.LinkedHashMap<>(task.metadata());
    facts.put("base_sync", "needs_resolution");
    facts.put("base_syncs", "2026-11-25T01:30:00Z needs_resolution trunk 0123abcd");

    String gateFails =
        GhPullRequestPublisher.body(
            task.toBuilder().metadata(facts).build(), Optional.empty(), "Added tests.");
    facts.put("conflict_files", "Parser.java\nLexer.java");
    String conflicts =
        GhPullRequestPublisher.body(
            task.toBuilder().metadata(facts).build(), Optional.empty(), "Added tests.");

    assertThat(gateFails)
        .startsWith(
            "## Needs a human\n\nFails the quality gate with trunk taken in — needs a human.");
    assertThat(conflicts)
        .startsWith(
            "## Needs a human\n\nConflicts with trunk in: Parser.java, Lexer.java — needs a human.")
        .contains("## Task\n\nWrite tests");
    assertThat(GhPullRequestPublisher.body(task, Optional.empty(), "")).startsWith("## Task");
  }
}
