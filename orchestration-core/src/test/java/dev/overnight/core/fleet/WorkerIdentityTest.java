package dev.overnight.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.worktree.Git;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerIdentityTest {

  @TempDir Path dir;

  @Test
  void theWorkerIdIsCreatedOnceAndSurvivesRestarts() throws Exception {
    Path state = dir.resolve("state");
    String first = WorkerIdentity.stableId(state);

    assertThat(first).matches("[a-z0-9-]+-[0-9a-f]{8}");
    assertThat(Files.readString(state.resolve(WorkerIdentity.ID_FILE)).strip()).isEqualTo(first);
    assertThat(WorkerIdentity.stableId(state)).isEqualTo(first);
    assertThat(WorkerIdentity.stableId(dir.resolve("other"))).isNotEqualTo(first);
  }

  @Test
  void processesCreatingTheIdAtOnceAgreeOnOne() throws Exception {
    Path state = dir.resolve("race");
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        ids.add(
            pool.submit(
                () -> {
                  start.await();
                  return WorkerIdentity.stableId(state);
                }));
      }
      start.countDown();
      Set<String> distinct = new HashSet<>();
      for (Future<String> id : ids) {
        distinct.add(id.get(30, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    try (var left = Files.list(state)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("worker-id");
    }
  }

  @Test
  void labelsSayTheOsTheAgentsTheRepositoryTheWorkerAndTheUsersOwn() {
    WorkerIdentity me =
        WorkerIdentity.of(
            "mini-1a2b3c4d",
            "mac-mini",
            OsFamily.MACOS,
            List.of("claude-code", "codex"),
            Optional.of("github.com/acme/shop"),
            List.of("gpu"));

    assertThat(me.labels())
        .containsExactly(
            "agent:claude-code",
            "agent:codex",
            "gpu",
            "os:macos",
            "repo:github.com/acme/shop",
            "worker:mini-1a2b3c4d");
    assertThat(me.decidedTaskLabels()).containsExactly("repo:github.com/acme/shop");
  }

  @Test
  void tasksDecidedForARepositoryWithoutARemoteStayOnThisWorker() {
    WorkerIdentity me =
        WorkerIdentity.of("box-1", "box", OsFamily.LINUX, List.of(), Optional.empty(), List.of());

    assertThat(me.labels()).containsExactly("os:linux", "worker:box-1");
    assertThat(me.decidedTaskLabels()).containsExactly("worker:box-1");
  }

  @Test
  void theRepositoryComesFromTheWorkspacesOrigin() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(repo);
    git.check("init", "-q");
    assertThat(WorkerIdentity.repositoryOf(repo)).isEmpty();

    git.check("remote", "add", "upstream", "https://github.com/acme/upstream.git");
    assertThat(WorkerIdentity.repositoryOf(repo))
        .as("its only remote")
        .contains("github.com/acme/upstream");

    git.check("remote", "add", "origin", "git@github.com:acme/shop.git");
    assertThat(WorkerIdentity.repositoryOf(repo)).contains("github.com/acme/shop");
  }
}
