package dev.overnight.core.worktree;

import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The git command line, run in one repository or worktree.
 *
 * <p>Overnight drives git through its CLI rather than a Java library: the user's own git, hooks,
 * credentials and config apply exactly as in their terminal, and worktrees are fully supported.
 * Thread-safe; every call blocks for at most its timeout.
 *
 * @since 0.1.0
 */
public final class Git {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Map<String, String> QUIET =
      Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_ASK_YESNO", "false", "LC_ALL", "C");

  private final Path dir;

  /** Git in {@code dir}. */
  public Git(Path dir) {
    this.dir = dir;
  }

  /** The directory git runs in. */
  public Path dir() {
    return dir;
  }

  /** Runs {@code git args...}; returns the result whatever the exit code. */
  public CommandResult run(String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    return CommandRunner.system().run(command, dir, QUIET, TIMEOUT);
  }

  /**
   * Runs {@code git args...} and returns its output trimmed.
   *
   * @throws GitException if it fails
   */
  public String check(String... args) {
    CommandResult r = run(args);
    if (!r.succeeded()) {
      throw new GitException(
          "git " + String.join(" ", args) + " failed: " + why(r) + " (in " + dir + ")");
    }
    return r.stdout().trim();
  }

  /**
   * Git's own verdict: its {@code fatal:} and {@code error:} lines, which follow progress lines
   * such as "Preparing worktree" that say nothing of the failure.
   */
  private static String why(CommandResult r) {
    String verdict =
        r.stderr()
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("fatal:") || l.startsWith("error:"))
            .collect(Collectors.joining("; "));
    return verdict.isEmpty() || r.outcome() != CommandResult.Outcome.EXITED
        ? r.describe()
        : "exit " + r.exitCode() + ": " + verdict;
  }

  /** Whether {@code dir} is inside a git work tree. */
  public boolean isRepository() {
    CommandResult r = run("rev-parse", "--is-inside-work-tree");
    return r.succeeded() && r.stdout().trim().equals("true");
  }

  /** Whether a local branch exists. */
  public boolean branchExists(String branch) {
    return run("show-ref", "--verify", "--quiet", "refs/heads/" + branch).succeeded();
  }

  /** The current branch, or empty when HEAD is detached. */
  public Optional<String> currentBranch() {
    CommandResult r = run("symbolic-ref", "--quiet", "--short", "HEAD");
    return r.succeeded() ? Optional.of(r.stdout().trim()) : Optional.empty();
  }

  /** Whether the work tree has uncommitted changes (tracked or untracked). */
  public boolean isDirty() {
    return !check("status", "--porcelain").isEmpty();
  }

  /** The commit {@code ref} points to. */
  public String revParse(String ref) {
    return check("rev-parse", "--verify", ref + "^{commit}");
  }

  /** Whether a commit identity is configured (commits fail without one). */
  public boolean hasIdentity() {
    return run("config", "user.email").succeeded() && run("config", "user.name").succeeded();
  }
}
