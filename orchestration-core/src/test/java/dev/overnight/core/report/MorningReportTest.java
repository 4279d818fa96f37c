package dev.overnight.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.core.json.OvernightJson;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MorningReportTest {
  static final Instant T = Instant.parse("2026-11-25T01:00:00Z");

  static Task task(
      String title, TaskStatus status, Map<String, String> metadata, Optional<String> error) {
    return Task.builder()
        .id(TaskId.random())
        .title(title)
        .prompt("p")
        .agentId(Optional.of("codex"))
        .priority(TaskPriority.MEDIUM)
        .opHash("h")
        .status(status)
        .attempts(1)
        .maxAttempts(3)
        .workerId(Optional.empty())
        .leaseExpiresAt(Optional.empty())
        .createdAt(T)
        .updatedAt(T)
        .startedAt(Optional.of(T))
        .finishedAt(Optional.of(T))
        .lastError(error)
        .metadata(metadata)
        .build();
  }

  @Test
  void listsTasksCyclesSkipsAndUsage() {
    MorningReport report =
        new MorningReport(
            "nightly",
            T.minusSeconds(3600),
            T.plusSeconds(4 * 3600),
            ZoneOffset.UTC,
            List.of(
                new CycleRecord(
                    "c1",
                    "nightly",
                    T,
                    Optional.of(T),
                    Optional.of(T.plusSeconds(1200)),
                    CycleOutcome.COMPLETED,
                    Optional.empty(),
                    List.of(),
                    false),
                new CycleRecord(
                    "c2",
                    "nightly",
                    T.plusSeconds(1800),
                    Optional.empty(),
                    Optional.empty(),
                    CycleOutcome.SKIPPED,
                    Optional.of(SkipReason.CONSTRAINTS_UNSATISFIED),
                    List.of("plugged_in: on battery (58%)"),
                    false)),
            List.of(
                task(
                    "Add tests for <Parser>",
                    TaskStatus.COMPLETED,
                    Map.of(
                        "branch",
                        "overnight/add-tests-1",
                        "pr_note",
                        "pull request skipped: gh is not installed",
                        "gate",
                        "passed — mvn test, 12 s",
                        "agent_seconds",
                        "600",
                        "tokens",
                        "1200",
                        "cost_usd",
                        "0.5",
                        "commits",
                        "2"),
                    Optional.empty()),
                task(
                    "Refactor",
                    TaskStatus.FAILED,
                    Map.of("push_note", "push rejected: non-fast-forward"),
                    Optional.of("stuck"))));
    String md = report.markdown();
    assertThat(md)
        .contains(
            "**1 completed, 1 failed, 0 still queued, 0 cancelled** — agents worked 10 min, 1200 tokens, $0.50.")
        .contains(
            "| Add tests for <Parser> | completed | codex | `overnight/add-tests-1` | pull request skipped: gh is not installed | passed — mvn test, 12 s | 2 commits |")
        .contains("| Refactor | failed | codex |  |  |  | stuck; push rejected: non-fast-forward |")
        .contains("- 2026-11-25 01:00 — completed in 20 min")
        .contains(
            "- 2026-11-25 01:30 — skipped: constraints unsatisfied — plugged_in: on battery (58%)");
    String html = report.html();
    assertThat(html)
        .contains("<td>Add tests for &lt;Parser&gt;</td>")
        .contains("<strong>1 completed")
        .doesNotContain("<Parser>");
  }

  @Test
  void everyWakesReceiptIsCountedAndACycleThatStartedNothingSaysWhy() {
    CycleRecord fired = ran("c1", T);
    CycleRecord spent =
        ran("c2", T.plusSeconds(1800), "no more started: night limit reached (3750 tokens of 3000)")
            .withReceipt(
                WakeReceipt.skipped(
                    WakeReason.NIGHT_LIMIT_REACHED, "night limit reached (3750 tokens of 3000)"));
    CycleRecord asleep =
        new CycleRecord(
            "skip-1",
            "nightly",
            T.plusSeconds(3600),
            Optional.empty(),
            Optional.empty(),
            CycleOutcome.SKIPPED,
            Optional.of(SkipReason.MACHINE_ASLEEP),
            List.of("the wall clock passed it by 2 h (asleep?)"),
            false,
            WakeReceipt.deferred(
                WakeReason.MACHINE_ASLEEP, "the wall clock passed it by 2 h (asleep?)"));
    MorningReport report =
        new MorningReport(
            "nightly",
            T.minusSeconds(3600),
            T.plusSeconds(4 * 3600),
            ZoneOffset.UTC,
            List.of(fired, spent, asleep),
            List.of());

    assertThat(report.markdown())
        .contains("Wakes: 1 fired, 1 skipped, 1 deferred.")
        .contains("- 2026-11-25 01:00 — completed in 20 min\n")
        .contains(
            "- 2026-11-25 01:30 — completed in 20 min, skipped — nothing started: night limit"
                + " reached — no more started: night limit reached (3750 tokens of 3000)")
        .contains(
            "- 2026-11-25 02:00 — deferred: machine asleep — the wall clock passed it by 2 h"
                + " (asleep?)");
    assertThat(OvernightJson.report(report).at("/cycles/1/receipt").toString())
        .isEqualTo(
            "{\"verdict\":\"skipped\",\"reason\":\"night_limit_reached\","
                + "\"detail\":\"night limit reached (3750 tokens of 3000)\"}");
  }

  @Test
  void aFailedSystemWakeAndADeferralSaySoInTheReport() {
    CycleRecord notScheduled =
        new CycleRecord(
            "skip-1",
            "nightly",
            T,
            Optional.empty(),
            Optional.empty(),
            CycleOutcome.SKIPPED,
            Optional.of(SkipReason.MACHINE_ASLEEP),
            List.of("the wall clock passed it by 2 h (asleep?)"),
            false,
            WakeReceipt.skipped(
                WakeReason.WAKE_NOT_SCHEDULED,
                "the system wake at 00:58 could not be scheduled: rtcwake needs root"));
    CycleRecord darkWake =
        new CycleRecord(
            "defer-2",
            "nightly",
            T.plusSeconds(86_400),
            Optional.empty(),
            Optional.empty(),
            CycleOutcome.SKIPPED,
            Optional.of(SkipReason.CONSTRAINTS_UNSATISFIED),
            List.of("in a dark wake"),
            false,
            WakeReceipt.deferred(WakeReason.DARK_WAKE, "in a dark wake"));
    MorningReport report =
        new MorningReport(
            "nightly",
            T.minusSeconds(3600),
            T.plusSeconds(2 * 86_400),
            ZoneOffset.UTC,
            List.of(notScheduled, darkWake),
            List.of());

    assertThat(report.markdown())
        .contains("**System wakes failed:** 1 could not be scheduled, 0 did not wake the machine")
        .contains(
            "- 2026-11-25 01:00 — skipped: wake not scheduled — the wall clock passed it by 2 h"
                + " (asleep?); the system wake at 00:58 could not be scheduled: rtcwake needs root")
        .contains("- 2026-11-26 01:00 — deferred: dark wake — in a dark wake\n");
  }

  @Test
  void aTaskCompletedWithNoChangeAndTheNightAlarmsAreSaidLoudly() {
    Task unchanged =
        task(
            "Tidy App",
            TaskStatus.COMPLETED,
            Map.of(
                "no_change",
                "the branch changes nothing after 1 turn, 3 tool calls (0 edits)",
                "files_changed",
                "0"),
            Optional.empty());
    NightAlarm alarm =
        new NightAlarm(
            NightAlarm.Kind.NO_CHANGE,
            List.of(
                LocalDate.parse("2026-11-22"),
                LocalDate.parse("2026-11-23"),
                LocalDate.parse("2026-11-24")),
            "The schedule fired on each of the last 3 nights (the nights of 2026-11-22 to"
                + " 2026-11-24) without producing a change: no task ended.");
    MorningReport report =
        new MorningReport(
            "nightly",
            T.minusSeconds(3600),
            T.plusSeconds(3600),
            ZoneOffset.UTC,
            List.of(ran("c1", T)),
            List.of(unchanged),
            Map.of(),
            List.of(alarm));

    String md = report.markdown();
    assertThat(md)
        .contains(
            "(Z)\n\n> **Alarm:** The schedule fired on each of the last 3 nights (the nights of"
                + " 2026-11-22 to 2026-11-24) without producing a change: no task ended.\n\n**1"
                + " completed (1 with no change), 0 failed,")
        .contains("| Tidy App | completed | codex |  |  |  | no change |")
        .contains(
            "- **Completed with no change:** the branch changes nothing after 1 turn, 3 tool calls"
                + " (0 edits)");
    assertThat(md.indexOf("**Alarm:**")).isLessThan(md.indexOf("## Tasks"));
    assertThat(OvernightJson.report(report).at("/alarms/0/nights/2").asText())
        .isEqualTo("2026-11-24");
    assertThat(OvernightJson.report(report).at("/alarms/0/kind").asText()).isEqualTo("no_change");
  }

  @Test
  void theReportShowsWhatWasUsedOfEachUsageWindow() {
    MorningReport report =
        new MorningReport(
            "nightly",
            T.minusSeconds(3600),
            T.plusSeconds(4 * 3600),
            ZoneOffset.UTC,
            List.of(),
            List.of(),
            Map.of(),
            List.of(),
            List.of(
                new QuotaWindow(
                    "claude-code",
                    T,
                    Optional.of(T.plusSeconds(7200)),
                    1250,
                    OptionalLong.of(1250),
                    true),
                new QuotaWindow(
                    "claude-code",
                    T.plusSeconds(7200),
                    Optional.of(T.plusSeconds(14400)),
                    1000,
                    OptionalLong.of(1250),
                    false),
                new QuotaWindow("codex", T, Optional.empty(), 2500, OptionalLong.empty(), false)));

    assertThat(report.markdown())
        .contains(
            "## Usage windows\n\n"
                + "- claude-code: 1250 of 1250 tokens (100%), spent — window from 2026-11-25 01:00"
                + " to 2026-11-25 03:00\n"
                + "- claude-code: 1000 of 1250 tokens (80%) — window from 2026-11-25 03:00 to"
                + " 2026-11-25 05:00\n"
                + "- codex: 2500 tokens (the window's size not known yet) — window from 2026-11-25"
                + " 01:00\n");
    assertThat(OvernightJson.report(report).at("/quota/1/limit_tokens").asLong()).isEqualTo(1250);
    assertThat(OvernightJson.report(report).at("/quota/2/limit_tokens").isMissingNode()).isTrue();
  }

  private static CycleRecord ran(String id, Instant at, String... notes) {
    return new CycleRecord(
        id,
        "nightly",
        at,
        Optional.of(at),
        Optional.of(at.plusSeconds(1200)),
        CycleOutcome.COMPLETED,
        Optional.empty(),
        List.of(notes),
        false);
  }

  @Test
  void saysWhyEarlierAttemptsDidNotFinishATaskAndShowsAFinishingCycle() {
    Task retried = task("Tidy", TaskStatus.COMPLETED, Map.of(), Optional.of("stuck"));
    Task waiting = task("Wait", TaskStatus.PENDING, Map.of(), Optional.of("stuck"));
    MorningReport report =
        new MorningReport(
            "nightly",
            T.minusSeconds(3600),
            T.plusSeconds(3600),
            ZoneOffset.UTC,
            List.of(
                new CycleRecord(
                    "c1",
                    "nightly",
                    T,
                    Optional.of(T),
                    Optional.of(T.plusSeconds(600)),
                    CycleOutcome.COMPLETED,
                    Optional.empty(),
                    List.of("2 tasks run"),
                    false)),
            List.of(retried, waiting),
            Map.of(
                retried.id(),
                List.of("stuck (attempt 1 of 3; will retry)"),
                waiting.id(),
                List.of(
                    "codex hit a usage limit (released; the attempt is not counted)",
                    "stuck (attempt 1 of 3; will retry)")));
    assertThat(report.markdown())
        .contains("| Tidy | completed | codex |  |  |  | stuck (attempt 1 of 3; will retry) |")
        .contains(
            "| Wait | pending | codex |  |  |  | codex hit a usage limit (released; the attempt is"
                + " not counted); stuck (attempt 1 of 3; will retry) |")
        .contains("- 2026-11-25 01:00 — completed in 10 min — 2 tasks run\n");
  }

  @Test
  void theSchedulersRecordShowsTheRunnersNotesButNotItsDurationTwice() {
    MorningReport report =
        ofCycles(
            completed("c1", T),
            completed(
                "c2", T.plusSeconds(1800), "3 tasks run", "no more started: night limit reached"));
    assertThat(report.markdown())
        .contains("- 2026-11-25 01:00 — completed in 10 min\n")
        .contains(
            "- 2026-11-25 01:30 — completed in 10 min — 3 tasks run; no more started: night limit"
                + " reached\n");
  }

  /** A report of the hour before and the two after {@link #T}, with these cycles and no task. */
  private static MorningReport ofCycles(CycleRecord... cycles) {
    return new MorningReport(
        "nightly",
        T.minusSeconds(3600),
        T.plusSeconds(7200),
        ZoneOffset.UTC,
        List.of(cycles),
        List.of());
  }

  private static CycleRecord completed(String id, Instant at, String... notes) {
    return new CycleRecord(
        id,
        "nightly",
        at,
        Optional.of(at),
        Optional.of(at.plusSeconds(600)),
        CycleOutcome.COMPLETED,
        Optional.empty(),
        List.of(notes),
        false);
  }

  @Test
  void jsonCarriesTheSameFactsWithRawValues() throws Exception {
    MorningReport report = ofCycles(completed("c1", T, "1 task run"));
    com.fasterxml.jackson.databind.JsonNode root =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.json());
    assertThat(root.get("config_id").asText()).isEqualTo("nightly");
    assertThat(root.get("from").asText()).isEqualTo("2026-11-25T00:00:00Z");
    assertThat(root.at("/counts/completed").asInt()).isZero();
    assertThat(root.at("/usage/tokens").asLong()).isZero();
    assertThat(root.at("/cycles/0/outcome").asText()).isEqualTo("completed");
    assertThat(root.at("/cycles/0/notes/0").asText()).isEqualTo("1 task run");
    assertThat(root.at("/cycles/0/notes").size()).isEqualTo(1);
    assertThat(root.at("/cycles/0/skip_reason").isMissingNode()).isTrue();
    assertThat(root.get("tasks")).isEmpty();
  }

  @Test
  void saysPerTaskWhatChangedWhatTheAgentSaidWhatTheGatePrintedAndWhatToCheck() {
    Map<String, String> facts = new java.util.LinkedHashMap<>();
    TaskFacts.FILES_CHANGED.put(facts, 2L);
    TaskFacts.INSERTIONS.put(facts, 12L);
    TaskFacts.DELETIONS.put(facts, 3L);
    TaskFacts.CHANGED_FILES.put(facts, "src/App.java\ndocs/NOTES.md");
    TaskFacts.FINAL_MESSAGE.put(facts, "I changed App\ninstead of testing it.");
    TaskFacts.KIND_MISMATCH.put(facts, "a tests task that changed no test file");
    Map<String, String> gate = new java.util.LinkedHashMap<>();
    TaskFacts.GATE_OUTPUT.put(gate, "compiling\nApp.java:1: error: <missing> ;");
    Map<String, String> broken = new java.util.LinkedHashMap<>();
    TaskFacts.AGENT_ERROR.put(
        broken, "codex failed session/new: Internal error (JSON-RPC error -32603)");
    MorningReport report =
        new MorningReport(
            "nightly",
            T.minusSeconds(3600),
            T.plusSeconds(3600),
            ZoneOffset.UTC,
            List.of(),
            List.of(
                task("Add tests for App", TaskStatus.COMPLETED, facts, Optional.empty()),
                task("Fix the build", TaskStatus.FAILED, gate, Optional.of("quality gate failed")),
                task("Tidy", TaskStatus.PENDING, broken, Optional.empty()),
                task("Quiet", TaskStatus.PENDING, Map.of(), Optional.empty())));

    String md = report.markdown();

    assertThat(md)
        .contains(
            "## What each task did\n\n**Add tests for App** — completed\n\n"
                + "- Changes: 2 files, +12 −3: `src/App.java`, `docs/NOTES.md`\n"
                + "- **Check this:** a tests task that changed no test file\n"
                + "- The agent's final message: I changed App instead of testing it.\n")
        .contains(
            "**Fix the build** — failed\n\n- The quality gate's last output lines:\n\n```\n"
                + "compiling\nApp.java:1: error: <missing> ;\n```\n")
        .contains(
            "**Tidy** — pending\n\n- The agent's own error: codex failed session/new: Internal"
                + " error (JSON-RPC error -32603)\n")
        .doesNotContain("**Quiet**");
    assertThat(report.html())
        .contains("<pre>compiling\nApp.java:1: error: &lt;missing&gt; ;\n</pre>")
        .contains("<li><strong>Check this:</strong> a tests task that changed no test file</li>");
  }

  @Test
  void aMachineOfAFleetSaysWhatTheRestOfTheFleetRanInOneLine() {
    Task mine = task("Mine", TaskStatus.COMPLETED, Map.of(), Optional.empty());
    MorningReport report =
        new MorningReport(
            "nightly@mac-mini",
            T.minusSeconds(3600),
            T,
            ZoneOffset.UTC,
            List.of(),
            List.of(mine),
            Map.of(),
            List.of(),
            List.of(),
            List.of(
                new MachineCounts(
                    "build-box",
                    Map.of(
                        TaskStatus.COMPLETED, 3L,
                        TaskStatus.FAILED, 1L,
                        TaskStatus.IN_PROGRESS, 1L,
                        TaskStatus.PENDING, 1L)),
                new MachineCounts("laptop", Map.of(TaskStatus.CANCELLED, 1L))));

    assertThat(report.markdown())
        .contains("# Overnight report — nightly@mac-mini")
        .contains("**1 completed, 0 failed, 0 still queued, 0 cancelled**")
        .contains(
            "The rest of the fleet: build-box 3 completed, 1 failed, 2 still queued; laptop 1"
                + " cancelled.\n");
    assertThat(report.json()).contains("\"fleet\"").contains("\"machine\" : \"build-box\"");
  }

  @Test
  void aReportOffAFleetHasNoFleetLine() {
    MorningReport report =
        new MorningReport(
            "nightly",
            T.minusSeconds(3600),
            T,
            ZoneOffset.UTC,
            List.of(),
            List.of(task("Mine", TaskStatus.COMPLETED, Map.of(), Optional.empty())));

    assertThat(report.fleet()).isEmpty();
    assertThat(report.markdown()).doesNotContain("fleet");
    assertThat(report.json()).doesNotContain("fleet");
  }
}
