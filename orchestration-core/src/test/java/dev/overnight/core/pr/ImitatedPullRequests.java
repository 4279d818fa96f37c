package dev.overnight.core.pr;

import dev.overnight.core.coordinator.PublishResult;
import dev.overnight.core.coordinator.PullRequestPublisher;
import dev.overnight.core.worktree.Git;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens pull requests in a {@link GitHubImitation} as gh would: the task's branch pushed to {@code
 * origin}, a pull request numbered in the order they open. The days on virtual time share it, with
 * the repositories their people work in.
 */
final class ImitatedPullRequests {
  private final GitHubImitation github;
  private final Map<String, Long> byBranch = new ConcurrentHashMap<>();
  private final AtomicLong opened = new AtomicLong();

  ImitatedPullRequests(GitHubImitation github) {
    this.github = github;
  }

  /** The publisher a runtime opens its pull requests with. */
  PullRequestPublisher publisher() {
    return (worktree, task, gate, summary) -> {
      worktree.commitLeftovers(task, "");
      worktree.git().check("push", "-q", "origin", worktree.branch());
      String head = worktree.git().check("rev-parse", "HEAD");
      long n = opened.incrementAndGet();
      github.open(n, worktree.branch(), head);
      byBranch.put(worktree.branch(), n);
      return new PublishResult(
          worktree.branch(),
          1,
          head,
          true,
          Optional.empty(),
          Optional.of(url(n)),
          Optional.empty());
    };
  }

  /** The number of the pull request opened for {@code branch}, or null when none was. */
  Long numberOf(String branch) {
    return byBranch.get(branch);
  }

  /** Whether a pull request was opened for {@code branch}. */
  boolean opened(String branch) {
    return byBranch.containsKey(branch);
  }

  /** The web address of pull request {@code n}. */
  static String url(long n) {
    return "https://github.com/octo/app/pull/" + n;
  }

  /**
   * A repository at {@code where} whose commits {@code name} signs, {@code origin} at {@code bare}.
   */
  static Git repository(Path where, String name, String email, Path bare) {
    try {
      Files.createDirectories(where);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Git git = new Git(where);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.name", name);
    git.check("config", "user.email", email);
    git.check("config", "commit.gpgsign", "false");
    git.check("remote", "add", "origin", bare.toString());
    return git;
  }

  static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
