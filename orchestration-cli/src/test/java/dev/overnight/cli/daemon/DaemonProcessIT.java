package dev.overnight.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.worktree.Git;
import dev.overnight.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as users run it: a real {@code overnight run} process with real agents, stopped by
 * signals and started again on the same state folder.
 */
class DaemonProcessIT {
  @TempDir Path dir;
  Path repo;
  Path state;

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

  /** A config whose only agent, "worker", runs the scripted agent with {@code agentArgs}. */
  private Path config(String name, String... agentArgs) throws IOException {
    StringBuilder args =
        new StringBuilder(
            "\"-cp\",\"" + OvernightProcess.JAR + "\",\"dev.overnight.fakes.ScriptedAgent\"");
    for (String a : agentArgs) {
      args.append(",\"").append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    Path file = dir.resolve(name + ".json");
    Files.writeString(
        file,
        "{\"id\":\"it\",\"workspace_root\":\""
            + repo
            + "\",\"state_dir\":\""
            + state
            + "\","
            + "\"schedule\":{\"expression\":\"*/30 * * * *\"},\"time_budget_sec\":7200,\"max_concurrent\":1,"
            + "\"agents\":{\"worker\":{\"command\":\""
            + OvernightProcess.JAVA
            + "\",\"args\":["
            + args
            + "]}},"
            + "\"agent_preferences\":{\"prefer\":[\"worker\"],\"allow\":[\"worker\"]},"
            + "\"limits\":{\"stuck_after_sec\":7200,\"cancel_grace_sec\":5},"
            + "\"decision\":{\"history_sources\":[]}}");
    return file;
  }

  private void addTasks() throws Exception {
    for (String t : List.of("first", "second", "third")) {
      OvernightProcess.Result r =
          OvernightProcess.run(
              "queue",
              "add",
              "--state-dir",
              state.toString(),
              "--prompt",
              "Task " + t,
              "--agent",
              "worker");
      assertThat(r.exitCode()).as(r.output()).isZero();
    }
  }

  @Test
  void stopOnSignalRestartAndFinishWithoutLosingOrRepeatingATask() throws Exception {
    addTasks();
    Path hanging = config("hanging", "--fault", "wait-for-cancel");
    long firstPid;
    try (OvernightProcess daemon =
        OvernightProcess.start(
            "run", "--config", hanging.toString(), "--time-scale", "600", "--no-dashboard")) {
      firstPid = daemon.process.pid();
      daemon.await(l -> l.contains(" started: worker on branch "), "a task to start");

      // A second daemon on the same folder is refused and names the first one.
      OvernightProcess.Result second =
          OvernightProcess.run("run", "--config", hanging.toString(), "--no-dashboard");
      assertThat(second.exitCode()).isEqualTo(3);
      assertThat(second.output()).contains("is in use by another Overnight (pid " + firstPid + ")");

      List<ProcessHandle> agents = daemon.liveDescendants();
      assertThat(agents).isNotEmpty();
      daemon.interrupt(); // Ctrl-C
      assertThat(daemon.awaitExit()).as(daemon.output()).isZero();
      assertThat(daemon.output()).contains("overnight: stopped");
      assertThat(agents).noneMatch(ProcessHandle::isAlive);
    }
    try (SqliteStore store = SqliteStore.open(state.resolve("overnight.db"))) {
      List<Task> tasks = store.taskQueue().list(TaskFilter.all()).items();
      assertThat(tasks).hasSize(3).allMatch(t -> t.status() == TaskStatus.PENDING);
      assertThat(tasks).allMatch(t -> t.attempts() == 0, "the interrupted attempt is not counted");
    }
    // The report written on the way out shows the night as it was left.
    assertThat(Files.readString(state.resolve("reports/latest.md")))
        .contains("**0 completed, 0 failed, 3 still queued, 0 cancelled**")
        .contains("| Task first | pending |");

    Path working =
        config("working", "--script-json", dev.overnight.fakes.ScriptedAgentScripts.DEMO);
    try (OvernightProcess daemon =
        OvernightProcess.start(
            "run", "--config", working.toString(), "--time-scale", "600", "--no-dashboard")) {
      for (int i = 0; i < 3; i++) {
        daemon.await(l -> l.matches(".*task +\\w{8} completed.*"), "three tasks to complete");
      }
      daemon.terminate();
      assertThat(daemon.awaitExit()).as(daemon.output()).isZero();
    }
    try (SqliteStore store = SqliteStore.open(state.resolve("overnight.db"))) {
      List<Task> mine =
          store.taskQueue().list(TaskFilter.all()).items().stream()
              .filter(t -> t.title().startsWith("Task "))
              .toList();
      assertThat(mine).hasSize(3).allMatch(t -> t.status() == TaskStatus.COMPLETED);
      for (Task t : mine) {
        List<TaskEvent> events = store.taskQueue().events(t.id());
        assertThat(events.stream().filter(e -> e.type() == TaskEventType.COMPLETED)).hasSize(1);
      }
      assertThat(store.taskQueue().list(TaskFilter.withStatus(TaskStatus.IN_PROGRESS)).items())
          .isEmpty();
    }
    assertThat(new Git(repo).check("status", "--porcelain")).isEmpty();
  }

  @Test
  void aSecondSignalStopsAtOnceAndLeavesNoAgentBehind() throws Exception {
    addTasks();
    Path deaf = config("deaf", "--fault", "hang");
    try (OvernightProcess daemon =
        OvernightProcess.start(
            "run", "--config", deaf.toString(), "--time-scale", "600", "--no-dashboard")) {
      daemon.await(l -> l.contains(" started: worker on branch "), "a task to start");
      List<ProcessHandle> agents = daemon.liveDescendants();
      assertThat(agents).isNotEmpty();
      daemon.terminate();
      daemon.await(
          l -> l.contains("stopping (a second signal stops at once)"),
          "the graceful stop to begin");
      daemon.terminate();
      assertThat(daemon.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(daemon.process.exitValue()).isEqualTo(128 + 15);
      for (ProcessHandle agent : agents) {
        assertThat(agent.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      }
    }
    // The task the killed daemon held is recovered once its lease runs out, and runs again.
    Path working =
        config("working", "--script-json", dev.overnight.fakes.ScriptedAgentScripts.DEMO);
    try (OvernightProcess daemon =
        OvernightProcess.start(
            "run", "--config", working.toString(), "--time-scale", "600", "--no-dashboard")) {
      for (int i = 0; i < 3; i++) {
        daemon.await(l -> l.matches(".*task +\\w{8} completed.*"), "three tasks to complete");
      }
      daemon.terminate();
      assertThat(daemon.awaitExit()).as(daemon.output()).isZero();
    }
    try (SqliteStore store = SqliteStore.open(state.resolve("overnight.db"))) {
      List<Task> mine =
          store.taskQueue().list(TaskFilter.all()).items().stream()
              .filter(t -> t.title().startsWith("Task "))
              .toList();
      assertThat(mine).hasSize(3).allMatch(t -> t.status() == TaskStatus.COMPLETED);
    }
  }

  @Test
  void aQuietDaemonPrintsTheDashboardWithoutItsTokenAndKeepsItsFilesToItsOwner() throws Exception {
    Path quiet = config("quiet", "--script-json", dev.overnight.fakes.ScriptedAgentScripts.DEMO);
    try (OvernightProcess daemon =
        OvernightProcess.start("run", "--quiet", "--config", quiet.toString())) {
      String line = daemon.await(l -> l.contains("dashboard "), "the dashboard's address");
      String token = Files.readString(state.resolve("dashboard-token")).strip();
      assertThat(line)
          .as("what the service's journal keeps")
          .matches(" *dashboard +http://127\\.0\\.0\\.1:\\d+/ .*")
          .contains(state.resolve("dashboard-token").toString())
          .doesNotContain("token=" + token);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
          .isEqualTo("rwx------");
      for (String file : List.of("daemon.json", "daemon.lock", "overnight.db", "dashboard-token")) {
        assertThat(
                PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(file))))
            .as(file)
            .isEqualTo("rw-------");
      }
      daemon.terminate();
      assertThat(daemon.awaitExit()).as(daemon.output()).isZero();
      assertThat(daemon.output()).doesNotContain(token);
    }
  }
}
