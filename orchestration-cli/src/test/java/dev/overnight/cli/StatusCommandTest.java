package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code overnight status} as the morning steps use it: no argument, or one folder named. */
class StatusCommandTest {
  @TempDir Path base;

  private CliRun status(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new StatusCommand(base));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  private Path folder(String id) throws Exception {
    Path state = base.resolve(id);
    CliRun added =
        CliRun.of("queue", "add", "--state-dir", state.toString(), "--prompt", "Tidy " + id);
    assertThat(added.exitCode()).as(added.err()).isZero();
    return state;
  }

  @Test
  void withoutArgumentsEveryStateFolderIsShown() throws Exception {
    folder("app");
    folder("web");

    CliRun text = status();

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("Overnight app: not running\n  state      " + base.resolve("app"))
        .contains("Overnight web: not running\n  state      " + base.resolve("web"))
        .contains("  queue      1 pending");
    CliRun json = status("--json");
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/status_all", json.out())).isEmpty();
    assertThat(new ObjectMapper().readTree(json.out()))
        .extracting(n -> n.get("config_id").asText())
        .containsExactly("app", "web");
  }

  @Test
  void withoutAnyStateFolderItSaysNothingRanYetAndSucceeds() {
    CliRun text = status();

    assertThat(text.exitCode()).isZero();
    assertThat(text.out()).startsWith("No state folder under " + base + " yet");
    assertThat(text.err()).isEmpty();
    assertThat(status("--json").out().strip()).isEqualTo("[ ]");
  }

  @Test
  void aNamedFolderIsShownAloneAsBefore() throws Exception {
    folder("app");
    Path web = folder("web");

    CliRun json = status("--json", "--state-dir", web.toString());

    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/status", json.out())).isEmpty();
    assertThat(new ObjectMapper().readTree(json.out()).get("config_id").asText()).isEqualTo("web");
  }

  @Test
  void theRecentCyclesShowWhatBecameOfEachWake() throws Exception {
    Path app = folder("app");
    Instant night = Instant.parse("2026-11-25T02:00:00Z");
    try (SqliteStore store = SqliteStore.open(new StatePaths(app).database())) {
      store
          .schedulerStateStore()
          .record(
              new CycleRecord(
                      "cycle-1",
                      "app",
                      night,
                      Optional.of(night),
                      Optional.of(night.plusSeconds(60)),
                      CycleOutcome.COMPLETED,
                      Optional.empty(),
                      List.of("0 tasks run"),
                      false)
                  .withReceipt(
                      WakeReceipt.skipped(
                          WakeReason.NO_WORK, "the queue is empty and no new work was found")));
      store
          .schedulerStateStore()
          .record(
              new CycleRecord(
                  "skip-1",
                  "app",
                  night.plusSeconds(3600),
                  Optional.empty(),
                  Optional.empty(),
                  CycleOutcome.SKIPPED,
                  Optional.of(SkipReason.MACHINE_ASLEEP),
                  List.of("the wall clock passed it by 2 h (asleep?)"),
                  false,
                  WakeReceipt.deferred(
                      WakeReason.MACHINE_ASLEEP, "the wall clock passed it by 2 h (asleep?)")));
    }

    assertThat(status("--state-dir", app.toString()).out())
        .contains(
            "    2026-11-25T03:00:00Z  skipped (machine_asleep)  deferred: machine asleep — the"
                + " wall clock passed it by 2 h (asleep?)\n"
                + "    2026-11-25T02:00:00Z  completed  skipped: no work — the queue is empty and no"
                + " new work was found\n");
    CliRun json = status("--json", "--state-dir", app.toString());
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/status", json.out())).isEmpty();
    assertThat(
            new ObjectMapper().readTree(json.out()).at("/recent_cycles/1/receipt/reason").asText())
        .isEqualTo("no_work");
  }

  @Test
  void theUsageWindowsOpenNowAreShownWithWhatWasUsedOfThem() throws Exception {
    Path app = folder("app");
    try (SqliteStore store = SqliteStore.open(new StatePaths(app).database())) {
      store
          .schedulerStateStore()
          .saveQuotaWindow(
              new QuotaWindow(
                  "codex",
                  Instant.parse("2026-11-22T01:00:00Z"),
                  Optional.of(Instant.parse("2099-01-01T00:00:00Z")),
                  42_000,
                  OptionalLong.of(100_000),
                  false));
      store
          .schedulerStateStore()
          .saveQuotaWindow(
              new QuotaWindow(
                  "claude-code",
                  Instant.parse("2020-01-01T00:00:00Z"),
                  Optional.of(Instant.parse("2020-01-01T05:00:00Z")),
                  9_000,
                  OptionalLong.empty(),
                  true));
    }

    String text = status("--state-dir", app.toString()).out();
    CliRun json = status("--json", "--state-dir", app.toString());

    assertThat(text)
        .contains(
            "  usage      codex: 42000 of 100000 tokens (42%), resets at 2099-01-01T00:00:00Z\n")
        .doesNotContain("claude-code");
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/status", json.out())).isEmpty();
    JsonNode quota = new ObjectMapper().readTree(json.out()).get("quota");
    assertThat(quota)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.get("agent_id").asText()).isEqualTo("codex");
              assertThat(w.get("used_tokens").asLong()).isEqualTo(42_000);
              assertThat(w.get("limit_tokens").asLong()).isEqualTo(100_000);
            });
  }

  @Test
  void nightsWithoutAFiredWakeRaiseTheAlarmFirst() throws Exception {
    Path app = folder("app");
    Instant night = Instant.parse("2026-11-22T02:00:00Z");
    try (SqliteStore store = SqliteStore.open(new StatePaths(app).database())) {
      for (int n = 0; n < 3; n++) {
        Instant at = night.plus(Duration.ofDays(n));
        store
            .schedulerStateStore()
            .record(
                new CycleRecord(
                    "skip-" + n,
                    "app",
                    at,
                    Optional.empty(),
                    Optional.empty(),
                    CycleOutcome.SKIPPED,
                    Optional.of(SkipReason.MACHINE_ASLEEP),
                    List.of("the wall clock passed it by 2 h (asleep?)"),
                    false));
      }
    }

    String text = status("--state-dir", app.toString()).out();

    assertThat(text)
        .startsWith(
            "Overnight app: not running\n  ALARM      No wake fired on the last 3 nights it was due");
    assertThat(text).contains(": machine asleep ×3.\n  state ");
    CliRun json = status("--json", "--state-dir", app.toString());
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/status", json.out())).isEmpty();
    assertThat(new ObjectMapper().readTree(json.out()).at("/alarms/0/kind").asText())
        .isEqualTo("never_fired");
  }

  @Test
  void theAddressOfAServeShowingTheFolderIsPrintedWhileItRuns() throws Exception {
    Path app = folder("app");
    StatePaths paths = new StatePaths(app);
    new ServeInfo(ProcessHandle.current().pid(), Instant.now(), "http://127.0.0.1:4711/")
        .write(paths);

    assertThat(status("--state-dir", app.toString()).out())
        .contains(
            "  serve      http://127.0.0.1:4711/ (overnight serve, pid "
                + ProcessHandle.current().pid()
                + ")");
    JsonNode json =
        new ObjectMapper().readTree(status("--json", "--state-dir", app.toString()).out());
    assertThat(json.at("/serve/dashboard").asText()).isEqualTo("http://127.0.0.1:4711/");

    Process ended = new ProcessBuilder("true").start();
    assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();
    new ServeInfo(ended.pid(), Instant.now(), "http://127.0.0.1:4712/").write(paths);
    assertThat(status("--state-dir", app.toString()).out()).doesNotContain("serve ");
    assertThat(Files.exists(paths.root().resolve("serve.json"))).isTrue();
  }
}
