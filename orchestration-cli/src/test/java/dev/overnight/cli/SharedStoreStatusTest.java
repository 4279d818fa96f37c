package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerSnapshot;
import dev.overnight.core.fleet.WorkerIdentity;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.postgres.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code overnight status} and {@code overnight report} given only the state folder of a machine
 * whose daemon runs on a fleet's PostgreSQL: the folder's daemon recorded its config, whose fleet
 * name names the machine's schedule, and the machine's night is of the tasks it ran.
 */
class SharedStoreStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  @TempDir Path dir;

  private String url;
  private StatePaths state;

  @BeforeAll
  static void startDatabase() throws IOException {
    server = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /**
   * A fresh database, and the state folder of the Mac mini: its worker id, and the {@code
   * daemon.json} of a daemon started with a config naming the machine {@code mac-mini}.
   */
  @BeforeEach
  void macMini() throws Exception {
    String database = "fleet" + DATABASES.incrementAndGet();
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the database: " + e.getMessage(), e);
    }
    url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    Path workspace = Files.createDirectories(dir.resolve("repo"));
    state = new StatePaths(dir.resolve("state"));
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "nightly");
    root.put("workspace_root", workspace.toString());
    root.put("state_dir", state.root().toString());
    root.putObject("schedule").put("expression", "0 1 * * *");
    root.putObject("store").put("kind", "postgres").put("url", url).put("user", "postgres");
    root.putObject("fleet").put("name", "mac-mini");
    Path config = dir.resolve("overnight.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), root);
    Files.createDirectories(state.root());
    Files.writeString(state.root().resolve(WorkerIdentity.ID_FILE), "mini-1a2b\n");
    new DaemonInfo(
            "nightly",
            Optional.of(workspace.toString()),
            Optional.of(config.toString()),
            1L,
            Instant.now(),
            Optional.empty())
        .write(state);
  }

  /**
   * The shared store as the night left it: the Mac mini completed one task without a change, the
   * build box one with a change, on the last three nights the Mac mini's schedule fired.
   */
  private void threeNightsOfTheFleet() {
    try (PostgresStore store = PostgresStore.builder(url).user("postgres").build()) {
      Instant now = Instant.now();
      for (WorkerInfo w :
          List.of(
              new WorkerInfo(
                  "mini-1a2b", "mac-mini", Set.of(), WorkerState.idle(), List.of(), now, now),
              new WorkerInfo(
                  "box-9f8e", "build-box", Set.of(), WorkerState.idle(), List.of(), now, now))) {
        store.workers().record(w);
      }
      Task mine = runs(store, "mini-1a2b", "Tidy the Mac build", Map.of("no_change", "nothing"));
      runs(store, "box-9f8e", "Write the release notes", Map.of("files_changed", "2"));
      Instant finished = store.taskQueue().get(mine.id()).orElseThrow().finishedAt().orElseThrow();
      for (int night = 0; night < 3; night++) {
        Instant at = finished.minus(Duration.ofDays(night));
        store
            .schedulerStateStore()
            .record(
                new CycleRecord(
                    "cycle-" + (3 - night),
                    "nightly@mac-mini",
                    at,
                    Optional.of(at),
                    Optional.of(at),
                    CycleOutcome.COMPLETED,
                    Optional.empty(),
                    List.of(),
                    false));
      }
      store
          .schedulerStateStore()
          .save(
              new SchedulerSnapshot(
                  "nightly@mac-mini",
                  Optional.of(finished),
                  Optional.of(finished),
                  Optional.empty(),
                  false,
                  7,
                  finished));
    }
  }

  private static Task runs(
      PostgresStore store, String worker, String title, Map<String, String> facts) {
    Task task = store.taskQueue().enqueue(TaskSpec.builder(title).title(title).build()).task();
    store.taskQueue().claimNext(worker, Duration.ofMinutes(5)).orElseThrow();
    return store.taskQueue().complete(task.id(), worker, "done", facts);
  }

  private CliRun status(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new StatusCommand(dir.resolve("no-user-base")));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  @Test
  void statusNamesTheMachineByItsDaemonsConfigAndAlarmsOnItsOwnTasks() throws Exception {
    threeNightsOfTheFleet();

    CliRun run = status("--state-dir", state.root().toString(), "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode status = JSON.readTree(run.out());
    assertThat(status.path("config_id").asText()).isEqualTo("nightly");
    assertThat(status.at("/queue/completed").asLong()).isEqualTo(2);
    assertThat(status.at("/schedule/cycle_count").asLong())
        .as("the schedule of nightly@mac-mini, not of this host's name")
        .isEqualTo(7);
    assertThat(status.path("recent_cycles")).hasSize(3);
    assertThat(status.path("alarms"))
        .as("the build box's change is not the Mac mini's")
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.path("kind").asText()).isEqualTo("no_change");
              assertThat(a.path("message").asText())
                  .contains("1 completed with no change, 0 failed, of 1 task");
            });
  }

  @Test
  void theReportOfTheFolderIsTheMachinesNightWithTheRestOfTheFleetInOneLine() {
    threeNightsOfTheFleet();

    CliRun run = CliRun.of("report", "--state-dir", state.root().toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("# Overnight report — nightly@mac-mini")
        .contains("Tidy the Mac build")
        .contains("The rest of the fleet: build-box 1 completed.")
        .contains("> **Alarm:** The schedule fired on each of the last 3 nights")
        .doesNotContain("release notes");
  }
}
