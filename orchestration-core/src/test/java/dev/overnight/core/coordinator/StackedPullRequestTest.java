package dev.overnight.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.Worktree;
import dev.overnight.core.worktree.WorktreeManager;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task stacked on an overlapping task's branch ({@code conflicts.overlap: stack}) starts from
 * that branch and opens its pull request against it while it is on the remote.
 */
class StackedPullRequestTest {
  @TempDir Path dir;

  private static final PrAutomation PR =
      new PrAutomation(true, true, "overnight/", Optional.of("main"), true, "origin");

  @Test
  void aStackedTaskStartsFromTheFirstsBranchAndItsPullRequestTargetsIt() throws IOException {
    Path remote = dir.resolve("remote.git");
    new Git(dir).check("init", "-q", "--bare", "-b", "main", remote.toString());
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(repo);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "user.name", "Dev");
    Files.writeString(repo.resolve("Cart.java"), "class Cart {}\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "initial");
    git.check("remote", "add", "origin", remote.toString());
    git.check("push", "-q", "origin", "main");
    git.check("branch", "overnight/tidy-cart-1", "main");
    git.check("worktree", "add", "-q", dir.resolve("first").toString(), "overnight/tidy-cart-1");
    Git first = new Git(dir.resolve("first"));
    Files.writeString(dir.resolve("first/Cart.java"), "class Cart { int tidy; }\n");
    first.check("commit", "-q", "-am", "Tidy the cart");
    first.check("push", "-q", "origin", "overnight/tidy-cart-1");

    Task task =
        InMemoryTaskQueue.create(ManualTimeSource.at("2026-11-25T01:00:00Z"))
            .enqueue(
                TaskSpec.builder("Test the cart")
                    .title("Test the cart")
                    .metadata(Map.of(TaskFacts.STACKED_ON.key(), "overnight/tidy-cart-1"))
                    .build())
            .task();
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(repo.toString())).prAutomation(PR).build();
    Worktree wt = new WorktreeManager(config, dir.resolve("wts")).prepare(task);

    assertThat(wt.base()).isEqualTo(git.revParse("overnight/tidy-cart-1"));
    assertThat(Files.readString(wt.path().resolve("Cart.java"))).contains("int tidy;");

    Files.writeString(wt.path().resolve("CartTest.java"), "class CartTest {}\n");
    Path calls = dir.resolve("gh-calls");
    Path gh = dir.resolve("gh");
    Files.writeString(
        gh,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '"
            + calls
            + "'; done\n"
            + "case \"$1\" in pr) echo https://github.com/acme/app/pull/43 ;; esac\nexit 0\n");
    gh.toFile().setExecutable(true);

    PublishResult r =
        new GhPullRequestPublisher(PR, gh.toString()).publish(wt, task, Optional.empty(), "");

    assertThat(r.commits()).as("its own commit only").isEqualTo(1);
    assertThat(r.prUrl()).contains("https://github.com/acme/app/pull/43");
    assertThat(Files.readString(calls)).contains("--base\novernight/tidy-cart-1\n");
  }

  @Test
  void aTaskWhoseStackWasDroppedStartsFromTheBaseAndItsPullRequestTargetsTheBase()
      throws IOException {
    Path remote = dir.resolve("remote.git");
    new Git(dir).check("init", "-q", "--bare", "-b", "main", remote.toString());
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(repo);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "user.name", "Dev");
    Files.writeString(repo.resolve("Cart.java"), "class Cart {}\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "initial");
    git.check("remote", "add", "origin", remote.toString());
    git.check("push", "-q", "origin", "main");
    git.check("branch", "overnight/tidy-cart-1", "main");
    git.check("worktree", "add", "-q", dir.resolve("first").toString(), "overnight/tidy-cart-1");
    Git first = new Git(dir.resolve("first"));
    Files.writeString(dir.resolve("first/Cart.java"), "class Cart { int broken; }\n");
    first.check("commit", "-q", "-am", "Tidy the cart, badly");
    first.check("push", "-q", "origin", "overnight/tidy-cart-1");

    Task task =
        InMemoryTaskQueue.create(ManualTimeSource.at("2026-11-25T01:00:00Z"))
            .enqueue(
                TaskSpec.builder("Test the cart")
                    .title("Test the cart")
                    .metadata(
                        Map.of(
                            TaskFacts.STACKED_ON.key(),
                            "overnight/tidy-cart-1",
                            TaskFacts.STACK_DROPPED.key(),
                            "started from the base, not stacked on overnight/tidy-cart-1: task"
                                + " 1 failed"))
                    .build())
            .task();
    OrchestrationConfig config =
        OrchestrationConfig.builder(ConfigValue.of(repo.toString())).prAutomation(PR).build();
    Worktree wt = new WorktreeManager(config, dir.resolve("wts")).prepare(task);

    assertThat(wt.base()).isEqualTo(git.revParse("main"));
    assertThat(Files.readString(wt.path().resolve("Cart.java"))).doesNotContain("broken");

    Files.writeString(wt.path().resolve("CartTest.java"), "class CartTest {}\n");
    Path calls = dir.resolve("gh-calls");
    Path gh = dir.resolve("gh");
    Files.writeString(
        gh,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '"
            + calls
            + "'; done\n"
            + "case \"$1\" in pr) echo https://github.com/acme/app/pull/44 ;; esac\nexit 0\n");
    gh.toFile().setExecutable(true);

    PublishResult r =
        new GhPullRequestPublisher(PR, gh.toString()).publish(wt, task, Optional.empty(), "");

    assertThat(r.commits()).isEqualTo(1);
    assertThat(Files.readString(calls))
        .contains("--base\nmain\n")
        .doesNotContain("overnight/tidy-cart-1");
  }
}
