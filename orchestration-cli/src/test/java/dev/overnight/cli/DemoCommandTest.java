package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.worktree.Git;
import dev.overnight.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, on virtual time: a whole night with real agent processes. */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void aFastNightProducesBranchesAReportAndLeavesTheCheckoutAlone() throws Exception {
    CliRun run = CliRun.of("demo", "--fast", "--no-dashboard", "--dir", dir.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("constraints satisfied: scripted (demo: everyone is asleep)")
        .contains("decide      tests → scripted (confidence 0.78): Add tests for Parser.java")
        .contains(
            "why: Add tests for Parser.java (tests): src/main/java/calc/Parser.java no test file by"
                + " naming convention; src/main/java/calc/Parser.java no test file changed with it;"
                + " src/main/java/calc/Parser.java no test refers to Parser")
        .contains("agent       ")
        .contains("tasks      2 completed of 2")
        .contains("checkout   HEAD unchanged; ?? NOTES.md");
    Git repo = new Git(dir.resolve("repo"));
    assertThat(repo.check("branch", "--list", "overnight/*").lines()).hasSize(2);
    assertThat(repo.check("status", "--porcelain")).isEqualTo("?? NOTES.md");
    assertThat(dir.resolve("repo/NOTES.md")).hasContent("my own notes, not committed yet");
    Path report = dir.resolve("state/reports/latest.md");
    assertThat(Files.readString(report))
        .contains("**2 completed, 0 failed")
        .contains("Add tests for Parser.java");
    assertThat(dir.resolve("state/reports/latest.html")).exists();
    assertThat(dir.resolve("state/worktrees")).isEmptyDirectory();
    // The state folder is what the other commands read.
    CliRun status = CliRun.of("status", "--state-dir", dir.resolve("state").toString(), "--json");
    assertThat(status.out()).contains("\"completed\" : 2").contains("\"running\" : false");
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/status", status.out())).isEmpty();
    assertThat(OvernightJson.read(status.out()).get("recent_cycles")).isNotEmpty();
    CliRun reportJson =
        CliRun.of("report", "--json", "--state-dir", dir.resolve("state").toString());
    assertThat(ShapeSchemas.errors("report.schema.json", reportJson.out())).isEmpty();
    assertThat(OvernightJson.read(reportJson.out()).at("/tasks/0/facts/branch").asText())
        .startsWith("overnight/");
    CliRun queue =
        CliRun.of("queue", "list", "--json", "--state-dir", dir.resolve("state").toString());
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/queue_list", queue.out())).isEmpty();
    assertThat(OvernightJson.read(queue.out())).hasSize(2);

    // Another repository's config that kept the id "demo" would share the folder: doctor says so.
    Path other = WorkerSetup.repository(dir.resolve("other")).dir();
    Path sharing = dir.resolve("other/overnight.json");
    Files.writeString(
        sharing,
        "{\"id\":\"demo\",\"workspace_root\":\""
            + other
            + "\",\"state_dir\":\""
            + dir.resolve("state")
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"}}");
    CliRun doctor = CliRun.of("doctor", "--json", "--config", sharing.toString());
    assertThat(OvernightJson.read(doctor.out()).get("warnings"))
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("is shared with configuration \"demo\" of " + dir.resolve("repo")));

    // The folder holds a demo now: it is reused only on request.
    CliRun again = CliRun.of("demo", "--fast", "--no-dashboard", "--dir", dir.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("holds an earlier demo: add --force");
    CliRun forced =
        CliRun.of("demo", "--fast", "--no-dashboard", "--force", "--dir", dir.toString());
    assertThat(forced.exitCode()).as(forced.out() + forced.err()).isZero();
    assertThat(forced.out()).contains("tasks      2 completed of 2");
  }

  @Test
  void aFolderTheDemoDidNotMakeIsNeverTouched() throws Exception {
    Path mine = Files.createDirectories(dir.resolve("my-project"));
    new Git(mine).check("init", "-q");
    Files.writeString(mine.resolve("README.md"), "mine\n");
    for (String[] args :
        new String[][] {
          {"demo", "--fast", "--no-dashboard", "--dir", mine.toString()},
          {"demo", "--fast", "--no-dashboard", "--force", "--dir", mine.toString()}
        }) {
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err()).contains("is not empty and was not made by overnight demo");
    }
    try (var entries = Files.list(mine)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(".git", "README.md");
    }
    assertThat(new Git(mine).run("log").succeeded()).isFalse(); // no commit was made in it
  }

  @Test
  void aFastNightWritesItsLeasesInRealTimeNotInItsVirtualNight() throws Exception {
    Instant before = Instant.now();
    CliRun run = CliRun.of("demo", "--fast", "--no-dashboard", "--dir", dir.toString());
    Instant after = Instant.now();
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();

    List<Instant> leases = new ArrayList<>();
    try (SqliteStore store = SqliteStore.open(dir.resolve("state/overnight.db"))) {
      for (Task task : store.taskQueue().list(TaskFilter.all()).items()) {
        // The night itself is tomorrow's, 01:00 to 03:00.
        assertThat(task.createdAt()).isAfter(after);
        for (TaskEvent e : store.taskQueue().events(task.id())) {
          Matcher m = LEASE.matcher(e.reason());
          if (e.type() == TaskEventType.CLAIMED && m.find()) {
            leases.add(Instant.parse(m.group(1)));
          }
        }
      }
    }
    // Every lease another process would judge ran from a real moment of the run.
    assertThat(leases)
        .isNotEmpty()
        .allSatisfy(
            lease -> assertThat(lease).isBetween(before, after.plus(Duration.ofMinutes(5))));
  }

  private static final Pattern LEASE = Pattern.compile("lease until (\\S+)");
}
