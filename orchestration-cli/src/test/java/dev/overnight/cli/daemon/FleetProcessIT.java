package dev.overnight.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ScriptedAgentScripts;
import dev.overnight.postgres.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two machines of a fleet as users run them: two {@code overnight run} daemons, each with its own
 * repository, state folder, name and labels, sharing one real PostgreSQL set up as the README's
 * "Run a fleet" says (a login role with a password from the environment, a database it owns).
 *
 * <p>Both daemons sit idle inside their first cycle, whose wait for work lasts nearly two hours: no
 * cycle ends and no new one starts while the test runs. A task queued through one machine for the
 * other can therefore only reach the other through the database's {@code NOTIFY} waking that wait.
 */
class FleetProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery staple";
  private static final Map<String, String> ENV = Map.of("OVERNIGHT_DB_PASSWORD", PASSWORD);

  private static EmbeddedPostgres server;

  @TempDir Path dir;

  @BeforeAll
  static void database() throws IOException {
    server =
        EmbeddedPostgres.builder().setDataDirectoryCustomizer(FleetProcessIT::passwords).start();
    // What the README has the administrator run: createuser --pwprompt, createdb --owner.
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE overnight LOGIN PASSWORD '" + PASSWORD + "'");
      s.execute("CREATE DATABASE overnight OWNER overnight");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set the database up: " + e.getMessage(), e);
    }
  }

  /** The superuser in without a password; every other user over TCP only with theirs. */
  private static void passwords(File dataDirectory) {
    try {
      Files.writeString(
          dataDirectory.toPath().resolve("pg_hba.conf"),
          String.join(
              "\n",
              "local all all trust",
              "host all postgres 127.0.0.1/32 trust",
              "host all postgres ::1/128 trust",
              "host all all 127.0.0.1/32 scram-sha-256",
              "host all all ::1/128 scram-sha-256",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private static String url() {
    return "jdbc:postgresql://localhost:" + server.getPort() + "/overnight";
  }

  /**
   * One machine's config: its own repository and state folder, the scripted agent, a schedule that
   * fires every minute with no window, the longest cycle budget, no engine proposing work, and the
   * README's {@code store} section, the same on every machine.
   */
  private Path machine(String name, String label) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    Path repo = Files.createDirectories(home.resolve("repo"));
    Git git = new Git(repo);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "user.name", "Dev");
    Files.writeString(repo.resolve("README.md"), "hi\n");
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "initial");

    ObjectNode root = JSON.createObjectNode();
    root.put("id", "night");
    root.put("workspace_root", repo.toString());
    root.put("state_dir", home.resolve("state").toString());
    root.putObject("schedule").put("expression", "* * * * *");
    root.put("time_budget_sec", 7200);
    root.put("max_concurrent", 1);
    ObjectNode worker = root.putObject("agents").putObject("worker");
    worker.put("command", OvernightProcess.JAVA);
    ArrayNode args = worker.putArray("args");
    List.of(
            "-cp",
            OvernightProcess.JAR.toString(),
            "dev.overnight.fakes.ScriptedAgent",
            "--script-json",
            ScriptedAgentScripts.DEMO)
        .forEach(args::add);
    ObjectNode preferences = root.putObject("agent_preferences");
    preferences.putArray("prefer").add("worker");
    preferences.putArray("allow").add("worker");
    root.putObject("limits").put("stuck_after_sec", 7200).put("cancel_grace_sec", 5);
    ObjectNode decision = root.putObject("decision");
    decision.put("engine", "none");
    decision.putArray("history_sources");
    root.putObject("store")
        .put("kind", "postgres")
        .put("url", url())
        .put("user", "overnight")
        .put("password_env", "OVERNIGHT_DB_PASSWORD");
    ObjectNode fleet = root.putObject("fleet");
    fleet.put("name", name);
    fleet.putArray("labels").add(label);
    Path file = home.resolve("overnight.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    return file;
  }

  private static OvernightProcess daemon(Path config) throws IOException {
    return OvernightProcess.start(
        ENV, List.of(), "-v", "run", "--config", config.toString(), "--no-dashboard");
  }

  private static boolean cycleStarted(String line) {
    return line.matches(".*cycle +\\S+ started.*");
  }

  private static boolean listening(String line) {
    return line.contains("Listening for work queued by any machine");
  }

  private static boolean taskStarted(String line) {
    return line.contains(" started: worker on branch ");
  }

  /** Waits until the daemon runs its first cycle and listens for work from the other machines. */
  private static void awaitIdleAndListening(OvernightProcess daemon, String name, Instant deadline)
      throws InterruptedException {
    daemon.awaitAny(FleetProcessIT::cycleStarted, name + "'s first cycle", deadline);
    daemon.awaitAny(FleetProcessIT::listening, name + " to listen for work", deadline);
  }

  @Test
  void aTaskQueuedThroughOneMachineForTheOtherWakesTheOtherAndRunsOnlyThere() throws Exception {
    // Generous: the first cycle starts on the next minute; the wait for work lasts two hours.
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    Path alphaConfig = machine("alpha", "gpu");
    Path betaConfig = machine("beta", "site:lab");
    try (OvernightProcess alpha = daemon(alphaConfig);
        OvernightProcess beta = daemon(betaConfig)) {
      awaitIdleAndListening(alpha, "alpha", deadline);
      awaitIdleAndListening(beta, "beta", deadline);

      // Given only alpha's state folder, as on a machine whose daemon runs: its store is the
      // fleet's.
      OvernightProcess.Result queued =
          OvernightProcess.run(
              ENV,
              List.of(),
              "enqueue",
              "--state-dir",
              alphaConfig.resolveSibling("state").toString(),
              "--on",
              "beta",
              "--prompt",
              "Write hello on beta",
              "--json");
      assertThat(queued.exitCode()).as(queued.output()).isZero();
      TaskId id = TaskId.of(JSON.readTree(queued.output()).get("id").asText());

      beta.await(FleetProcessIT::taskStarted, "beta to start the task", deadline);
      beta.await(
          l -> l.matches(".*task +" + id.shortId() + " completed.*"),
          "beta to finish it",
          deadline);

      // Beta ran it in the cycle that was already waiting: woken, not started again by its
      // schedule, whose next cycle cannot begin while that one runs.
      List<String> betaLines = beta.lines();
      int started = indexOf(betaLines, FleetProcessIT::taskStarted);
      assertThat(betaLines.subList(0, started).stream().filter(FleetProcessIT::cycleStarted))
          .as(String.join("\n", betaLines))
          .hasSize(1);

      OvernightProcess.Result status =
          OvernightProcess.run(
              ENV, List.of(), "fleet", "status", "--config", alphaConfig.toString(), "--json");
      assertThat(status.exitCode()).as(status.output()).isZero();
      JsonNode fleet = JSON.readTree(status.output());
      assertThat(fleet.get("machines"))
          .extracting(m -> m.get("name").asText())
          .containsExactly("alpha", "beta");
      assertThat(fleet.get("machines")).allMatch(m -> !m.get("offline").asBoolean());
      assertThat(fleet.at("/queue/by_status/completed").asLong()).isEqualTo(1);
      String betaId = fleet.at("/machines/1/id").asText();
      assertThat(fleet.at("/machines/1/labels").toString())
          .contains("site:lab", "worker:" + betaId);

      OvernightProcess.Result text =
          OvernightProcess.run(
              ENV,
              List.of(),
              "fleet",
              "status",
              "--state-dir",
              betaConfig.resolveSibling("state").toString());
      assertThat(text.output())
          .contains("2 machines")
          .containsPattern("alpha +\\S+ +idle")
          .containsPattern("beta +" + betaId + " +idle")
          .contains("Queue: 0 pending, 0 in progress, 1 completed, 0 failed, 0 cancelled");

      try (PostgresStore store =
          PostgresStore.builder(url()).user("overnight").password(PASSWORD).build()) {
        Task task = store.taskQueue().get(id).orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
        List<TaskEvent> claims =
            store.taskQueue().events(id).stream()
                .filter(e -> e.type() == TaskEventType.CLAIMED)
                .toList();
        assertThat(claims).extracting(TaskEvent::actor).containsExactly(betaId);
      }
      assertThat(alpha.lines()).as("alpha runs nothing").noneMatch(FleetProcessIT::taskStarted);

      alpha.terminate();
      beta.terminate();
      assertThat(alpha.awaitExit()).as(alpha.output()).isZero();
      assertThat(beta.awaitExit()).as(beta.output()).isZero();
    }
  }

  private static int indexOf(List<String> lines, java.util.function.Predicate<String> wanted) {
    for (int i = 0; i < lines.size(); i++) {
      if (wanted.test(lines.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such line in:\n" + String.join("\n", lines));
  }
}
