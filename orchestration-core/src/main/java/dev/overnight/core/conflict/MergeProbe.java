package dev.overnight.core.conflict;

import dev.overnight.core.process.CommandResult;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.GitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells, without touching any branch or checkout, which files a merge of two commits would leave in
 * conflict. On git 2.38 and later it asks {@code git merge-tree --write-tree}, which merges in
 * memory; on older git it tries the merge in a scratch worktree (detached, removed afterwards).
 *
 * <p>Thread-safe; blocks on git. Worktree changes (older git only) are not guarded against another
 * thread's {@code worktree prune}: callers that prune run one probe at a time.
 *
 * @since 0.1.0
 */
public final class MergeProbe {
  private static final Pattern VERSION = Pattern.compile("git version (\\d+)\\.(\\d+)");

  private final Git repository;
  private final Path scratchRoot;
  private final boolean inMemory;

  private MergeProbe(Git repository, Path scratchRoot, boolean inMemory) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.scratchRoot = Objects.requireNonNull(scratchRoot, "scratchRoot");
    this.inMemory = inMemory;
  }

  /**
   * A probe for {@code repository} that merges in memory when its git can, else in a scratch
   * worktree under {@code scratchRoot}.
   */
  public static MergeProbe of(Git repository, Path scratchRoot) {
    return new MergeProbe(repository, scratchRoot, mergesInMemory(repository));
  }

  /** A probe that always tries the merge in a scratch worktree, as on git before 2.38. */
  public static MergeProbe withTrialMerge(Git repository, Path scratchRoot) {
    return new MergeProbe(repository, scratchRoot, false);
  }

  /** Whether this probe merges in memory ({@code merge-tree --write-tree}). */
  public boolean inMemory() {
    return inMemory;
  }

  /** Whether the repository's git has {@code merge-tree --write-tree} (2.38 and later). */
  static boolean mergesInMemory(Git git) {
    CommandResult r = git.run("--version");
    Matcher m = VERSION.matcher(r.stdout());
    if (!r.succeeded() || !m.find()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major > 2 || (major == 2 && minor >= 38);
  }

  /**
   * The files merging {@code theirs} into {@code ours} would leave in conflict, sorted; empty when
   * the merge is clean.
   *
   * @throws GitException if git cannot tell (an unknown commit, a broken repository)
   */
  public List<String> conflicts(String ours, String theirs) {
    return inMemory ? inMemory(ours, theirs) : trial(ours, theirs);
  }

  private List<String> inMemory(String ours, String theirs) {
    CommandResult r =
        repository.run("merge-tree", "--write-tree", "--name-only", "--no-messages", ours, theirs);
    if (r.succeeded()) {
      return List.of();
    }
    if (r.outcome() != CommandResult.Outcome.EXITED || r.exitCode() != 1) {
      throw new GitException("git merge-tree failed: " + r.describe() + "\n" + r.tail(5));
    }
    // The first line is the tree with conflict markers; the conflicted files follow.
    return r.stdout().lines().skip(1).filter(l -> !l.isBlank()).distinct().sorted().toList();
  }

  private List<String> trial(String ours, String theirs) {
    Path scratch;
    try {
      Files.createDirectories(scratchRoot);
      scratch = Files.createTempDirectory(scratchRoot, "probe-");
      Files.delete(scratch);
    } catch (java.io.IOException e) {
      throw new GitException("cannot make a scratch folder under " + scratchRoot + ": " + e);
    }
    repository.check("worktree", "add", "--detach", "--quiet", scratch.toString(), ours);
    try {
      Git trial = new Git(scratch);
      CommandResult merge =
          trial.run(
              "-c",
              "user.name=Overnight",
              "-c",
              "user.email=overnight@localhost",
              "merge",
              "--no-commit",
              "--no-ff",
              theirs);
      if (merge.succeeded()) {
        return List.of();
      }
      String unmerged = trial.check("diff", "--name-only", "--diff-filter=U");
      if (unmerged.isEmpty()) {
        throw new GitException("git merge failed without a conflict: " + merge.tail(5));
      }
      return unmerged.lines().distinct().sorted().toList();
    } finally {
      repository.run("worktree", "remove", "--force", scratch.toString());
      repository.run("worktree", "prune");
    }
  }
}
