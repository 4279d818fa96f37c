package dev.overnight.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.worktree.Git;
import dev.overnight.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as users run it, meeting what a night can throw at it: being killed with {@code kill
 * -9} while an agent works (and has started a process of its own), and its database deleted under
 * it. Real {@code overnight run} processes, real agents, a real SQLite file.
 */
class DaemonCrashProcessIT {
  @TempDir Path dir;
  Path repo;
  Path state;
  ProcessHandle leftover;

  @BeforeEach
  void repository() throws IOException {
    repo = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(repo);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "user.name", "Dev");
    Files.writeString(repo.resolve("README.md"), "hi\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "initial");
    state = dir.resolve("state");
  }

  @AfterEach
  void killLeftover() {
    if (leftover != null) {
      leftover.destroyForcibly();
    }
  }

  /** A config whose only agent, "worker", runs the scripted agent with {@code script}. */
  private Path config(String name, String script) throws IOException {
    Path file = dir.resolve(name + ".json");
    Files.writeString(
        file,
        "{\"id\":\"it\",\"workspace_root\":\""
            + repo
            + "\",\"state_dir\":\""
            + state
            + "\",\"schedule\":{\"expression\":\"*/30 * * * *\"},\"time_budget_sec\":7200,"
            + "\"max_concurrent\":1,\"agents\":{\"worker\":{\"command\":\""
            + OvernightProcess.JAVA
            + "\",\"args\":[\"-cp\",\""
            + OvernightProcess.JAR
            + "\",\"dev.overnight.fakes.ScriptedAgent\",\"--script-json\",\""
            + script.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"]}},\"agent_preferences\":{\"prefer\":[\"worker\"],\"allow\":[\"worker\"]},"
            + "\"limits\":{\"stuck_after_sec\":7200,\"cancel_grace_sec\":5},"
            + "\"decision\":{\"history_sources\":[],\"engine\":\"none\"}}");
    return file;
  }

  private void addTask(String prompt) throws Exception {
    OvernightProcess.Result r =
        OvernightProcess.run(
            "queue",
            "add",
            "--state-dir",
            state.toString(),
            "--prompt",
            prompt,
            "--agent",
            "worker");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private List<Task> tasks() {
    try (SqliteStore store = SqliteStore.open(state.resolve("overnight.db"))) {
      return store.taskQueue().list(TaskFilter.all()).items();
    }
  }

  @Test
  void aDaemonKilledWithSigkillLeavesNothingTheNextOneDoesNotTakeBackAtOnce() throws Exception {
    addTask("Task one");
    Path pidFile = dir.resolve("sleep.pid");
    Path spawning =
        config(
            "spawning",
            "{\"steps\":[{\"spawn\":[\"/bin/sh\",\"-c\",\"sleep 300 >/dev/null 2>&1 & echo $! > '"
                + pidFile
                + "'\"]},{\"message\":\"sleep started\"},{\"waitForCancel\":true}]}");
    try (OvernightProcess daemon =
        OvernightProcess.start(
            "run", "--config", spawning.toString(), "--time-scale", "600", "--no-dashboard")) {
      daemon.await(l -> l.contains("says: sleep started"), "the agent to start a process");
      leftover = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();
      // kill -9: no shutdown hook, no cleanup of any kind.
      assertThat(daemon.process.toHandle().destroyForcibly()).isTrue();
      assertThat(daemon.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Instant killed = Instant.now();
    assertThat(leftover.isAlive()).as("what the agent started outlived the daemon").isTrue();
    Task abandoned = tasks().get(0);
    assertThat(abandoned.status()).isEqualTo(TaskStatus.IN_PROGRESS);
    // Its lease runs five minutes of real time, whatever the daemon's compressed clock said.
    assertThat(abandoned.leaseExpiresAt().orElseThrow())
        .isBefore(killed.plus(Duration.ofMinutes(5)).plusSeconds(1));

    Path working =
        config("working", "{\"steps\":[{\"write\":{\"path\":\"done.txt\",\"content\":\"ok\"}}]}");
    try (OvernightProcess daemon =
        OvernightProcess.start(
            "run", "--config", working.toString(), "--time-scale", "600", "--no-dashboard")) {
      daemon.await(l -> l.matches(".*task +\\w{8} completed.*"), "the task to complete");
      assertThat(Instant.now())
          .as("the task ran again before its lease would have let it")
          .isBefore(abandoned.leaseExpiresAt().orElseThrow());
      assertThat(leftover.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      daemon.terminate();
      assertThat(daemon.awaitExit()).as(daemon.output()).isZero();
    }
    Task done = tasks().get(0);
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(state.resolve("processes")).isEmptyDirectory();
  }

  @Test
  void aDatabaseDeletedUnderTheDaemonStopsItWithAClearError() throws Exception {
    addTask("Task one");
    Path working =
        config("working", "{\"steps\":[{\"write\":{\"path\":\"done.txt\",\"content\":\"ok\"}}]}");
    try (OvernightProcess daemon =
        OvernightProcess.start(
            "run", "--config", working.toString(), "--time-scale", "600", "--no-dashboard")) {
      daemon.await(l -> l.matches(".*task +\\w{8} completed.*"), "the task to complete");

      try (Stream<Path> files = Files.list(state)) {
        for (Path f :
            files.filter(f -> f.getFileName().toString().startsWith("overnight.db")).toList()) {
          Files.delete(f);
        }
      }

      assertThat(daemon.awaitExit()).as(daemon.output()).isEqualTo(1);
      assertThat(daemon.output())
          .contains("error: SQLite database " + state.resolve("overnight.db"))
          .contains("it was deleted or moved away")
          .doesNotContain("overnight: stopped;");
    }
    assertThat(state.resolve("overnight.db")).as("not recreated by the daemon").doesNotExist();
  }
}
