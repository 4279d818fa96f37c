package dev.overnight.core.worktree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.WorktreeSettings;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorktreeManagerTest {
  @TempDir Path dir;

  private static Task task(String id, String title) {
    Instant t = Instant.parse("2026-11-25T01:00:00Z");
    return Task.builder()
        .id(TaskId.of(id))
        .title(title)
        .prompt("do it")
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
        .metadata(Map.of())
        .build();
  }

  private OrchestrationConfig config(Path workspace, WorktreeSettings worktree) {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
        .worktree(worktree)
        .build();
  }

  @Test
  void eachTaskGetsItsOwnBranchAndWorktreeAndTheCheckoutIsUntouched() throws IOException {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write("dirty.txt", "uncommitted work of the user\n");
    String statusBefore = repo.git.check("status", "--porcelain");
    WorktreeManager m =
        new WorktreeManager(
            config(repo.dir, WorktreeSettings.defaults()), dir.resolve("state/worktrees"));

    Worktree wt = m.prepare(task("11111111-aaaa", "Add tests for Parser.java"));
    assertThat(wt.branch()).isEqualTo("overnight/add-tests-for-parser-java-11111111");
    assertThat(wt.resumed()).isFalse();
    assertThat(wt.path()).startsWith(dir.resolve("state/worktrees"));
    assertThat(Files.readString(wt.path().resolve("README.md"))).isEqualTo("hello\n");
    assertThat(wt.path().resolve("dirty.txt")).doesNotExist();

    Files.writeString(wt.path().resolve("new.txt"), "agent work\n");
    wt.git().check("add", "-A");
    wt.git().check("commit", "-q", "-m", "agent");
    m.remove(wt);
    assertThat(wt.path()).doesNotExist();
    assertThat(repo.git.branchExists(wt.branch())).isTrue();
    assertThat(repo.git.check("status", "--porcelain")).isEqualTo(statusBefore);
    assertThat(repo.git.currentBranch()).contains("main");
  }

  @Test
  void aRetriedTaskResumesOnItsBranch() {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    WorktreeManager m =
        new WorktreeManager(config(repo.dir, WorktreeSettings.defaults()), dir.resolve("wts"));
    Task t = task("22222222-bbbb", "Refactor");
    Worktree first = m.prepare(t);
    repo.write("../wts/" + first.path().getFileName() + "/step1.txt", "1\n");
    first.git().check("add", "-A");
    first.git().check("commit", "-q", "-m", "step 1");
    m.remove(first);

    Worktree second = m.prepare(t);
    assertThat(second.resumed()).isTrue();
    assertThat(second.path().resolve("step1.txt")).exists();
    assertThat(second.base()).isEqualTo(first.base());
  }

  @Test
  void aStaleWorktreeFromACrashIsReplaced() throws IOException {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    WorktreeManager m =
        new WorktreeManager(config(repo.dir, WorktreeSettings.defaults()), dir.resolve("wts"));
    Task t = task("33333333-cccc", "Crash");
    Worktree first = m.prepare(t);
    Files.writeString(first.path().resolve("half-done.txt"), "x");
    Worktree again = m.prepare(t);
    assertThat(again.path()).isEqualTo(first.path());
    assertThat(again.path().resolve("half-done.txt")).doesNotExist();
  }

  @Test
  void copiesFilesAndRunsTheSetupCommandInAFreshWorktree() {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write(".env", "SECRET=1\n");
    WorktreeSettings settings =
        new WorktreeSettings(
            Optional.of("echo ready > setup.out"), List.of(".env", "missing.env"), 4096, false);
    WorktreeManager m = new WorktreeManager(config(repo.dir, settings), dir.resolve("wts"));
    Worktree wt = m.prepare(task("44444444-dddd", "Setup"));
    assertThat(wt.path().resolve(".env")).hasContent("SECRET=1");
    assertThat(wt.path().resolve("setup.out")).hasContent("ready");
  }

  @Test
  void aResumedWorktreeIsANewFolderAndGetsTheLocalFilesAndTheSetupToo() {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    repo.write(".env", "SECRET=1\n");
    WorktreeSettings settings =
        new WorktreeSettings(Optional.of("cat .env > setup.out"), List.of(".env"), 4096, false);
    WorktreeManager m = new WorktreeManager(config(repo.dir, settings), dir.resolve("wts"));
    Task t = task("77777777-aaaa", "Resume");
    Worktree first = m.prepare(t);
    assertThat(first.localFiles()).containsExactly(".env");
    m.remove(first);

    Worktree second = m.prepare(t);
    assertThat(second.resumed()).isTrue();
    assertThat(second.localFiles()).containsExactly(".env");
    assertThat(second.path().resolve(".env")).hasContent("SECRET=1");
    assertThat(second.path().resolve("setup.out")).hasContent("SECRET=1");
  }

  @Test
  void tasksPreparedAndRemovedAtTheSameTimeAllGetTheirWorktrees() throws Exception {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    WorktreeManager m =
        new WorktreeManager(config(repo.dir, WorktreeSettings.defaults()), dir.resolve("wts"));
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 10; round++) {
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Future<Worktree>> made = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          Task t = task(String.format("%08d-%04d", round * threads + i, i), "Task " + i);
          made.add(
              pool.submit(
                  () -> {
                    together.await(30, TimeUnit.SECONDS);
                    Worktree wt = m.prepare(t);
                    m.remove(wt);
                    return wt;
                  }));
        }
        for (Future<Worktree> f : made) {
          Worktree wt = f.get(60, TimeUnit.SECONDS);
          assertThat(repo.git.branchExists(wt.branch())).isTrue();
          assertThat(wt.path()).doesNotExist();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(repo.git.check("worktree", "list", "--porcelain").lines())
        .filteredOn(l -> l.startsWith("worktree "))
        .hasSize(1);
  }

  @Test
  void aFailingSetupCommandIsAGitErrorWithItsOutput() {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    WorktreeSettings settings =
        new WorktreeSettings(Optional.of("echo broken >&2; exit 3"), List.of(), 4096, false);
    WorktreeManager m = new WorktreeManager(config(repo.dir, settings), dir.resolve("wts"));
    assertThatThrownBy(() -> m.prepare(task("55555555-eeee", "Setup")))
        .isInstanceOf(GitException.class)
        .hasMessageContaining("worktree.setup_command failed")
        .hasMessageContaining("exit 3")
        .hasMessageContaining("broken");
  }

  @Test
  void aFailingSetupCommandLeavesNeitherTheWorktreeNorItsNewBranch() {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    WorktreeSettings settings = new WorktreeSettings(Optional.of("exit 3"), List.of(), 4096, false);
    WorktreeManager m = new WorktreeManager(config(repo.dir, settings), dir.resolve("wts"));
    Task task = task("66666666-ffff", "Setup");

    assertThatThrownBy(() -> m.prepare(task)).isInstanceOf(GitException.class);

    assertThat(repo.git.branchExists(m.branchFor(task))).isFalse();
    assertThat(dir.resolve("wts")).isEmptyDirectory();
    assertThat(repo.git.check("worktree", "list", "--porcelain").lines())
        .filteredOn(l -> l.startsWith("worktree "))
        .hasSize(1);
  }

  @Test
  void onlyABranchWithNoCommitOfItsOwnIsDeleted() throws IOException {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    WorktreeManager m =
        new WorktreeManager(
            config(repo.dir, new WorktreeSettings(Optional.empty(), List.of(), 4096, false)),
            dir.resolve("wts"));
    Worktree empty = m.prepare(task("77777777-aaaa", "Empty"));
    Worktree worked = m.prepare(task("88888888-bbbb", "Worked"));
    Files.writeString(worked.path().resolve("work.txt"), "done\n");
    worked.git().check("add", "-A");
    worked.git().check("commit", "-q", "-m", "Work");
    m.remove(empty);
    m.remove(worked);

    assertThat(m.deleteBranchIfEmpty(empty)).isTrue();
    assertThat(m.deleteBranchIfEmpty(worked)).isFalse();

    assertThat(repo.git.branchExists(empty.branch())).isFalse();
    assertThat(repo.git.branchExists(worked.branch())).isTrue();
  }

  @Test
  void diskLimitStopsNewWorktrees() throws IOException {
    GitRepo repo = GitRepo.init(dir.resolve("repo"));
    WorktreeSettings settings = new WorktreeSettings(Optional.empty(), List.of(), 1, false);
    Path root = dir.resolve("wts");
    Files.createDirectories(root.resolve("old"));
    Files.write(root.resolve("old/big.bin"), new byte[2 * 1024 * 1024]);
    WorktreeManager m = new WorktreeManager(config(repo.dir, settings), root);
    assertThatThrownBy(() -> m.prepare(task("66666666-ffff", "Big")))
        .isInstanceOf(WorktreeDiskLimitException.class)
        .hasMessageContaining("worktree.max_disk_mb");
  }

  @Test
  void aWorkspaceThatIsNotARepositoryIsAClearError() throws IOException {
    Path plain = Files.createDirectories(dir.resolve("plain"));
    assertThatThrownBy(() -> new WorktreeManager(config(plain, WorktreeSettings.defaults()), dir))
        .isInstanceOf(GitException.class)
        .hasMessageContaining("is not a git repository");
  }

  @Test
  void slugsAreSafeBranchNames() {
    assertThat(WorktreeManager.slug("Refactor Résumé parser — now!"))
        .isEqualTo("refactor-resume-parser-now");
    assertThat(WorktreeManager.slug("***")).isEqualTo("task");
    assertThat(WorktreeManager.slug("x".repeat(80))).hasSize(40);
  }
}
