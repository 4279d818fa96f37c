package dev.overnight.core.worktree;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.secrets.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.Normalizer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and removes one git worktree per task, on branch {@code branch_prefix + slug + "-" +
 * short id}, under {@code <state>/worktrees/}. The user's checkout is never written to: git only
 * records the worktree in the repository's metadata.
 *
 * <p>A retried task whose branch exists continues on that branch. Every worktree folder is new, a
 * retried task's too, so each gets the config's {@code copy_files} and runs its {@code
 * setup_command}. Thread-safe for different tasks: git does not guard its worktree metadata against
 * itself ({@code worktree add} beside another's {@code prune} or {@code remove} fails, or loses an
 * entry), so this manager makes those changes one at a time; copying files and the setup command
 * run concurrently.
 *
 * @since 0.1.0
 */
public final class WorktreeManager {
  private static final Logger LOG = LoggerFactory.getLogger(WorktreeManager.class);

  private static final long LOW_SPACE_BYTES = 1024 * 1024;

  private final Git repository;
  private final Path root;
  private final OrchestrationConfig config;
  private final Object metadata = new Object();

  /**
   * Creates a manager.
   *
   * @param config the configuration (workspace, branch prefix, base branch, worktree settings)
   * @param root the folder worktrees go in
   * @throws GitException if the workspace is not a git repository
   */
  public WorktreeManager(OrchestrationConfig config, Path root) {
    this.config = config;
    this.root = root;
    this.repository = new Git(config.workspaceRoot().path());
    if (!repository.isRepository()) {
      throw new GitException(
          "the workspace "
              + config.workspaceRoot().path()
              + " is not a git repository: Overnight runs every task in its own git worktree"
              + " (run git init, or point workspace_root at a repository)");
    }
  }

  /** The folder worktrees go in. */
  public Path root() {
    return root;
  }

  /** The branch a task works on. */
  public String branchFor(Task task) {
    return task.fact(TaskFacts.BRANCH)
        .orElse(
            config.prAutomation().branchPrefix() + slug(task.title()) + "-" + task.id().shortId());
  }

  /** The commit new task branches start from: the configured base branch, else HEAD. */
  public String baseCommit() {
    return repository.revParse(config.prAutomation().baseBranch().orElse("HEAD"));
  }

  /**
   * The commit a new branch for {@code task} starts from: the tip of the branch it stacks on
   * ({@code conflicts.overlap: stack}) while that branch exists and the stack was not dropped
   * ({@link TaskFacts#STACK_DROPPED}), else the base.
   */
  private String startOf(Task task) {
    return task.fact(TaskFacts.STACKED_ON)
        .filter(b -> task.fact(TaskFacts.STACK_DROPPED).isEmpty())
        .filter(repository::branchExists)
        .map(b -> repository.revParse("refs/heads/" + b))
        .orElseGet(this::baseCommit);
  }

  /**
   * Prepares the worktree for a task: its branch checked out (created from the base, or continued
   * when it exists), files copied and the setup command run.
   *
   * @throws GitException if git refuses, or the setup command fails
   * @throws WorktreeDiskLimitException if worktrees already use the configured disk bound
   */
  public Worktree prepare(Task task) {
    long limitBytes = config.worktree().maxDiskMb() * 1024 * 1024;
    long used = diskUsage();
    if (used >= limitBytes) {
      throw new WorktreeDiskLimitException(
          "worktrees use "
              + (used / (1024 * 1024))
              + " MB, at or over the limit of "
              + config.worktree().maxDiskMb()
              + " MB (worktree.max_disk_mb)");
    }
    String branch = branchFor(task);
    Path path = root.resolve(task.id().shortId() + "-" + slug(task.title()));
    boolean resumed;
    String base;
    synchronized (metadata) {
      discardStale(path);
      resumed = repository.branchExists(branch);
      try {
        PrivateFiles.createDirectories(root);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (resumed) {
        repository.check("worktree", "add", path.toString(), branch);
        base = repository.check("merge-base", branch, baseCommit());
      } else {
        base = startOf(task);
        repository.check("worktree", "add", "-b", branch, path.toString(), base);
      }
    }
    // The folder is new even when the branch is not: it needs the local files and the setup.
    List<String> copied;
    try {
      copied = copyFiles(path);
      config.worktree().setupCommand().ifPresent(cmd -> runSetup(cmd, path));
    } catch (RuntimeException e) {
      // No agent will work here: leave neither the folder nor a new, empty branch behind.
      Worktree unused = new Worktree(task.id(), path, branch, base, resumed);
      remove(unused);
      deleteBranchIfEmpty(unused);
      throw e;
    }
    Worktree worktree = new Worktree(task.id(), path, branch, base, resumed, copied);
    LOG.info(
        "Task {} works in {} on {}{}",
        task.id().shortId(),
        path,
        branch,
        resumed ? " (resumed)" : "");
    return worktree;
  }

  /** Removes a task's worktree; its branch stays. Never throws: a failure is logged. */
  public void remove(Worktree worktree) {
    synchronized (metadata) {
      CommandResult r = repository.run("worktree", "remove", "--force", worktree.path().toString());
      if (!r.succeeded()) {
        LOG.warn("Could not remove worktree {}: {}", worktree.path(), r.describe());
        deleteTree(worktree.path());
        repository.run("worktree", "prune");
      }
    }
  }

  /**
   * Deletes the task's branch when it holds no commit of its own (nothing beyond the commit it
   * started from): an attempt that ended before any work, such as one whose agent never started,
   * leaves no empty branch behind; the next attempt starts a new one. Call it once the worktree is
   * removed. A branch that existed before this attempt (a retried task's) is kept. Never throws: a
   * failure is logged.
   *
   * @return whether the branch was deleted
   */
  public boolean deleteBranchIfEmpty(Worktree worktree) {
    if (worktree.resumed()) {
      return false;
    }
    synchronized (metadata) {
      CommandResult own =
          repository.run(
              "rev-list", "--count", worktree.base() + "..refs/heads/" + worktree.branch());
      if (!own.succeeded() || !own.stdout().trim().equals("0")) {
        return false;
      }
      CommandResult r = repository.run("branch", "-D", worktree.branch());
      if (!r.succeeded()) {
        LOG.warn("Could not delete the empty branch {}: {}", worktree.branch(), r.describe());
        return false;
      }
      LOG.info("Deleted {}: the attempt ended before any work", worktree.branch());
      return true;
    }
  }

  /**
   * Whether preparing a worktree failed for want of disk space, and then how so: git or a copy said
   * there is no space left on the device, or the disk holding the worktrees has less than 1 MiB
   * free. A full disk is nobody's task's fault, so the coordinator gives the task back rather than
   * counting a failed attempt.
   */
  public Optional<String> outOfDisk(RuntimeException failure) {
    boolean enospc = false;
    for (Throwable t = failure; t != null && !enospc; t = t.getCause()) {
      enospc = String.valueOf(t.getMessage()).contains("No space left on device");
    }
    long free = freeBytes();
    if (!enospc && (free < 0 || free >= LOW_SPACE_BYTES)) {
      return Optional.empty();
    }
    return Optional.of(
        "the disk holding "
            + root
            + " is full"
            + (free < 0 ? "" : " (" + free / 1024 + " KiB free)")
            + "; free some space");
  }

  /** The bytes free for the worktrees' folder (or the nearest existing parent), or -1. */
  private long freeBytes() {
    Path existing = root;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing == null ? -1 : Files.getFileStore(existing).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Bytes used by all worktrees under the root (not following links). */
  public long diskUsage() {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    AtomicLong total = new AtomicLong();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              total.addAndGet(attrs.size());
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("Could not measure {}: {}", root, e.toString());
    }
    return total.get();
  }

  /** A branch-safe slug of a title: lower case, ASCII letters and digits, dashes, at most 40. */
  public static String slug(String title) {
    String ascii =
        Normalizer.normalize(title, Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT);
    String slug = ascii.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > 40) {
      slug = slug.substring(0, 40).replaceAll("-+$", "");
    }
    return slug.isEmpty() ? "task" : slug;
  }

  private void discardStale(Path path) {
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      // Left behind by a crashed run: its commits are on the branch, the rest is disposable.
      repository.run("worktree", "remove", "--force", path.toString());
      deleteTree(path);
    }
    repository.run("worktree", "prune");
  }

  /** Copies {@code copy_files} into the worktree; returns what was copied, worktree-relative. */
  private List<String> copyFiles(Path worktree) {
    LocalFiles.Copied c =
        LocalFiles.copy(config.workspaceRoot().path(), config.worktree().copyFiles(), worktree);
    c.missing()
        .forEach(
            name ->
                LOG.info("Not copying {} into the worktree: no such file in the workspace", name));
    return c.copied();
  }

  private void runSetup(String command, Path worktree) {
    CommandResult r =
        CommandRunner.system()
            .run(List.of("sh", "-c", command), worktree, Map.of(), Duration.ofMinutes(15));
    if (!r.succeeded()) {
      throw new GitException(
          "worktree.setup_command failed in " + worktree + ": " + r.describe() + "\n" + r.tail(20));
    }
  }

  private static void deleteTree(Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc)
                throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", path, e.toString());
    }
  }
}
