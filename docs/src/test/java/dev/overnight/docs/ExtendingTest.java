package dev.overnight.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionEngineProvider;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionHistorySourceProvider;
import dev.overnight.api.decision.SessionRecord;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.decision.PlanReport;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugins docs/extending.md shows, found the way users' plugins are: through the {@code
 * META-INF/services} files of this module's test resources, chosen by name in a config file.
 */
class ExtendingTest {
  @TempDir Path dir;

  // tag::engine-provider[]
  /** {@code "decision": {"engine": "tidy-readme"}} in a config chooses this engine. */
  public static final class TidyReadmeProvider implements DecisionEngineProvider {
    @Override
    public String name() {
      return "tidy-readme";
    }

    @Override
    public DecisionEngine create(ProviderContext context) {
      return decisionContext ->
          Optional.of(
                  new Decision(
                      "Tidy the README",
                      "Fix typos and broken links in README.md; change nothing else.",
                      "claude-code",
                      TaskPriority.LOW,
                      DecisionPath.EXPLORATION,
                      Optional.of("README.md"),
                      "the README is the first thing people read",
                      0.5,
                      List.of(),
                      Duration.ofMinutes(15),
                      Map.of()))
              // Never propose work the queue has seen: done, under way or cancelled.
              .filter(d -> !decisionContext.finishedOpHashes().contains(d.toTaskSpec().opHash()));
    }
  }

  // end::engine-provider[]

  // tag::history-provider[]
  /** {@code "decision": {"history_sources": ["notes"]}} in a config reads these sessions. */
  public static final class NotesHistoryProvider implements SessionHistorySourceProvider {
    @Override
    public String name() {
      return "notes";
    }

    @Override
    public SessionHistorySource create(ProviderContext context) {
      Path folder = context.homeDirectory().resolve(".my-agent/sessions");
      return new SessionHistorySource() {
        @Override
        public String name() {
          return "notes";
        }

        @Override
        public List<SessionRecord> read(Path workspace, Instant since, int limit) {
          return List.of(); // parse what your agent wrote under `folder`
        }

        @Override
        public Optional<Path> location() {
          return Optional.of(folder);
        }
      };
    }
  }

  // end::history-provider[]

  @Test
  void pluginsNamedInAConfigAreFoundAndUsed() throws IOException {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Git.init(repo);
    Path file = dir.resolve("overnight.json");
    Files.writeString(
        file,
        "{\"id\":\"tidy\",\"workspace_root\":\"repo\",\"schedule\":{\"expression\":\"0 2 * * *\"},"
            + "\"decision\":{\"engine\":\"tidy-readme\",\"history_sources\":[\"overnight\",\"notes\"]}}");

    OrchestrationConfig config = ConfigLoader.standard().load(file);
    try (OvernightRuntime overnight =
        OvernightRuntime.builder(config)
            .statePaths(new StatePaths(dir.resolve("state")))
            .timeSource(ManualTimeSource.at("2026-11-25T02:00:00Z"))
            .homeDirectory(dir.resolve("home"))
            .shutdownHook(false)
            .build()) {
      PlanReport plan = overnight.plan();
      assertThat(plan.explanation().decision()).map(Decision::title).contains("Tidy the README");
      assertThat(plan.inputs().history())
          .extracting(s -> s.source() + ": " + s.note().orElse(""))
          .containsExactly(
              "overnight: no folder " + dir.resolve("state/transcripts"),
              "notes: no folder " + dir.resolve("home/.my-agent/sessions"));
    }
  }

  /** Just enough git for a workspace. */
  private static final class Git {
    static void init(Path repo) throws IOException {
      run(repo, "git", "init", "-q", "-b", "main");
      run(
          repo,
          "git",
          "-c",
          "user.email=d@x",
          "-c",
          "user.name=D",
          "commit",
          "-q",
          "--allow-empty",
          "-m",
          "start");
    }

    private static void run(Path dir, String... command) throws IOException {
      try {
        Process p =
            new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }
}
