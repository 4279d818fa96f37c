package dev.overnight.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.core.coordinator.AgentCoordinator;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.hub.HubSession;
import dev.overnight.core.hub.SessionUpdateHub;
import dev.overnight.core.schedule.DefaultScheduler;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole night, end to end: the scheduler on virtual time wakes the coordinator three times; the
 * coordinator decides what to do from the repository's real git history, runs the scripted agent (a
 * real ACP process) as Claude Code and Codex two at a time in git worktrees, keeps its queue and
 * the cycle history in SQLite, and writes the morning report. Everything but the clock is real.
 */
class OvernightNightTest {
  private static final Instant EVENING = Instant.parse("2026-11-25T00:50:00Z");

  @TempDir Path dir;

  @Test
  void threeCyclesLeaveBranchesAQueueOfCompletedTasksAReportAndAnUntouchedCheckout()
      throws Exception {
    World world = new World(dir, EVENING);
    Repo repo = world.repo;
    // Three sources lack tests (Parser most touched, then Lexer, then Cache); Printer has them.
    Instant day = Instant.parse("2026-11-20T10:00:00Z");
    repo.commit(
        day,
        "Start",
        Map.of(
            "README.md", "# Demo\n",
            "src/main/java/demo/Parser.java", "class Parser {}\n",
            "src/main/java/demo/Lexer.java", "class Lexer {}\n",
            "src/main/java/demo/Cache.java", "class Cache {}\n",
            "src/main/java/demo/Printer.java", "class Printer {}\n",
            "src/test/java/demo/PrinterTest.java", "class PrinterTest {}\n"));
    for (int i = 1; i <= 5; i++) {
      Instant at = day.plus(Duration.ofHours(i));
      repo.commit(
          at, "Parser " + i, Map.of("src/main/java/demo/Parser.java", "class Parser {} //" + i));
      if (i <= 3) {
        repo.commit(
            at.plusSeconds(60),
            "Lexer " + i,
            Map.of("src/main/java/demo/Lexer.java", "class Lexer {} //" + i));
      }
    }
    // The user left work in progress: a modified tracked file and an untracked one.
    repo.write("README.md", "# Demo\n\nHalf-written paragraph\n");
    repo.write("scratch.txt", "notes to self\n");
    Repo.Snapshot before = repo.snapshot();
    assertThat(before.status()).contains(" M README.md", "?? scratch.txt");

    OrchestrationConfig config =
        world
            .config()
            .schedule(
                Schedule.cron("*/30 1-2 * * *")
                    .withWindow(LocalTime.of(1, 0), LocalTime.of(2, 30))
                    .withTimezone(ZoneOffset.UTC))
            .timeBudgetSec(1200)
            .maxConcurrent(2)
            .goals(List.of("improve logging"))
            .build();
    Path script = world.script("worker", Scripts.WORKER);
    List<AgentProvider> agents =
        List.of(world.agent("claude-code", script), world.agent("codex", script));

    try (SqliteStore store =
            SqliteStore.builder(world.state.resolve("overnight.db")).clock(world.time).build();
        SessionUpdateHub hub = SessionUpdateHub.builder(world.time).build()) {
      AgentCoordinator coordinator =
          world
              .coordinator(
                  config, store.taskQueue(), Optional.of(store.schedulerStateStore()), agents)
              .sessionHub(hub)
              .build();
      DefaultScheduler scheduler =
          DefaultScheduler.builder()
              .config(config)
              .timeSource(world.time)
              .stateStore(store.schedulerStateStore())
              .providerLoader(ProviderLoader.none())
              .shutdownHook(false)
              .listener(world.recorder)
              .cycleRunner(coordinator)
              .build();
      scheduler.start();

      // 01:00, 01:30 and 02:00: each cycle runs on the scheduler's own thread; time moves on
      // only once the scheduler says the cycle finished.
      world.time.runUntil(Instant.parse("2026-11-25T01:00:00Z"));
      world.recorder.awaitNth(SchedulerEvent.CycleFinished.class, 1);
      world.time.runUntil(Instant.parse("2026-11-25T01:30:00Z"));
      world.recorder.awaitNth(SchedulerEvent.CycleFinished.class, 2);
      world.time.runUntil(Instant.parse("2026-11-25T02:00:00Z"));
      world.recorder.awaitNth(SchedulerEvent.CycleFinished.class, 3);
      world.time.runUntil(Instant.parse("2026-11-25T06:00:00Z"));
      scheduler.stop();
      coordinator.close();

      // Three cycles ran, none failed, none was skipped.
      List<SchedulerEvent.CycleFinished> finished =
          world.recorder.all(SchedulerEvent.CycleFinished.class);
      assertThat(finished).hasSize(3).allSatisfy(f -> assertThat(f.error()).isEmpty());
      assertThat(world.recorder.all(SchedulerEvent.CycleSkipped.class)).isEmpty();
      assertThat(store.schedulerStateStore().recentCycles("e2e", 10))
          .extracting(CycleRecord::outcome)
          .containsOnly(CycleOutcome.COMPLETED)
          .hasSize(3);

      // Decisions: tests for the three untested sources (most touched first), then exploration
      // for the goal and the general one; each decided once, two at a time, and the third cycle
      // found nothing more to do instead of deciding a duplicate.
      List<CoordinatorEvent.Decided> decided = world.recorder.all(CoordinatorEvent.Decided.class);
      assertThat(decided)
          .extracting(d -> d.decision().title())
          .containsExactly(
              "Add tests for Parser.java",
              "Add tests for Lexer.java",
              "Add tests for Cache.java",
              "Explore: improve logging",
              "Explore the codebase");
      assertThat(decided).allSatisfy(d -> assertThat(d.enqueued()).isTrue());
      assertThat(world.recorder.all(CoordinatorEvent.NothingToDo.class))
          .singleElement()
          .satisfies(n -> assertThat(n.reason()).contains("nothing new to do"));
      assertThat(world.recorder.all(CoordinatorEvent.CycleEnded.class))
          .extracting(CoordinatorEvent.CycleEnded::tasksRun)
          .containsExactly(2, 2, 1);

      // The queue: five completed tasks, no op hash twice, each by the agent its path calls for.
      List<Task> tasks = World.tasks(store.taskQueue());
      assertThat(tasks)
          .hasSize(5)
          .allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED));
      assertThat(tasks.stream().map(Task::opHash).distinct()).hasSize(5);
      assertThat(tasks)
          .filteredOn(t -> t.title().startsWith("Add tests"))
          .allSatisfy(t -> assertThat(t.metadata()).containsEntry("agent", "codex"));
      assertThat(tasks)
          .filteredOn(t -> t.title().startsWith("Explore"))
          .allSatisfy(t -> assertThat(t.metadata()).containsEntry("agent", "claude-code"));
      assertThat(tasks).allSatisfy(t -> assertThat(t.attempts()).isEqualTo(1));

      // Branches: one per task, from main, carrying the agent's own commit and nothing else.
      String main = repo.git("rev-parse", "main");
      List<String> branches = repo.branches("overnight/");
      assertThat(branches)
          .containsExactlyInAnyOrderElementsOf(
              tasks.stream().map(t -> t.metadata().get("branch")).toList());
      for (Task t : tasks) {
        String branch = t.metadata().get("branch");
        assertThat(branch).startsWith("overnight/").endsWith(t.id().shortId());
        assertThat(repo.subjects(main, branch)).containsExactly(Scripts.WORKER_COMMIT);
        assertThat(repo.git("show", branch + ":NIGHT-NOTES.md"))
            .isEqualTo("Notes from the night shift.");
        assertThat(repo.git("merge-base", main, branch)).isEqualTo(main);
        assertThat(t.metadata()).containsEntry("commits", "1");
        assertThat(t.metadata()).containsEntry("head", repo.git("rev-parse", branch));
      }

      // Worktrees: all removed, from git's list and from the disk.
      assertThat(repo.worktrees()).containsExactly(repo.dir.toRealPath());
      try (Stream<Path> left = Files.list(world.state.resolve("worktrees"))) {
        assertThat(left).isEmpty();
      }

      // Every agent process has ended, and every session went through the hub and ended there.
      List<CoordinatorEvent.TaskStarted> started =
          world.recorder.all(CoordinatorEvent.TaskStarted.class);
      assertThat(started).hasSize(5);
      for (CoordinatorEvent.TaskStarted s : started) {
        assertThat(World.ended(World.pidOf(s.sessionId()))).isTrue();
        assertThat(hub.session(s.sessionId()))
            .get()
            .satisfies(h -> assertThat(h.active()).isFalse())
            .extracting(HubSession::taskId)
            .isEqualTo(Optional.of(s.task().id()));
      }
      assertThat(world.recorder.all(SessionEvent.class))
          .extracting(SessionEvent::sessionId)
          .containsAll(started.stream().map(CoordinatorEvent.TaskStarted::sessionId).toList());

      // The morning report, in Markdown and HTML in the state folder, lists every task.
      String md = world.report();
      String html = world.htmlReport();
      assertThat(world.reports().resolve("night-2026-11-25.md")).exists();
      assertThat(world.reports().resolve("night-2026-11-25.html")).exists();
      assertThat(md).contains("**5 completed, 0 failed, 0 still queued, 0 cancelled**");
      for (Task t : tasks) {
        assertThat(md).contains("| " + t.title() + " | completed |");
        assertThat(md).contains("`" + t.metadata().get("branch") + "`");
        assertThat(html).contains(t.title());
      }
      assertThat(md).contains("6250 tokens");
      // All three cycles, each with what it ran, the last one too: the report is written as it
      // ends.
      assertThat(md)
          .contains(
              "- 2026-11-25 01:00 — completed in 0 s — 2 tasks run\n",
              "- 2026-11-25 01:30 — completed in 0 s — 2 tasks run\n",
              "- 2026-11-25 02:00 — completed in 0 s — 1 task run\n");
      assertThat(html).startsWith("<!doctype html>").contains("<table>");

      // The user's checkout: byte for byte as it was, dirty files included.
      assertThat(repo.snapshot()).isEqualTo(before);
    }
  }
}
