package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.store.Store;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.worktree.Git;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan --explain} names the task a queued task would wait for, or stack on, and the files
 * both are predicted to touch: a repository whose history makes the parser and its lexer change
 * together.
 */
class PlanOverlapTest {
  static final String PARSER = "src/main/java/app/Parser.java";
  static final String LEXER = "src/main/java/app/Lexer.java";

  @TempDir Path tmp;
  Path ws;
  Git git;

  @BeforeEach
  void aHistoryWhereTheParserAndTheLexerChangeTogether() throws Exception {
    ws = Files.createDirectories(tmp.resolve("repo"));
    git = new Git(ws);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "user.name", "Dev");
    git.check("config", "commit.gpgsign", "false");
    for (int i = 1; i <= 3; i++) {
      commit(Map.of(PARSER, "p" + i, LEXER, "l" + i));
      commit(Map.of("README.md", "r" + i));
    }
  }

  private void commit(Map<String, String> files) throws Exception {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = ws.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "change");
  }

  private Path config(String overlap) throws Exception {
    Path config = tmp.resolve("overnight.json");
    Files.writeString(
        config,
        "{\"id\":\"cli-plan\",\"workspace_root\":\""
            + ws
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"},\"state_dir\":\""
            + tmp.resolve("state")
            + "\",\"agents\":{\"codex\":{\"command\":\"/nonexistent/codex-acp\"}},"
            + "\"decision\":{\"engine\":\"none\"},"
            + "\"conflicts\":{\"overlap\":\""
            + overlap
            + "\"}}");
    return config;
  }

  private Task enqueue(Path config, String title, String target) {
    OrchestrationConfig cfg = ConfigLoader.standard().load(config);
    try (Store store = OvernightRuntime.openStore(cfg, StatePaths.of(Optional.empty(), cfg))) {
      return store
          .taskQueue()
          .enqueue(
              TaskSpec.builder(title)
                  .title(title)
                  .metadata(TaskFacts.TARGET_FILE.key(), target)
                  .build())
          .task();
    }
  }

  @Test
  void explainNamesTheTaskItWaitsForAndTheSharedFiles() throws Exception {
    Path config = config("wait");
    Task parser = enqueue(config, "Tidy the parser", PARSER);
    Task readme = enqueue(config, "Tidy the readme", "README.md");
    Task lexer = enqueue(config, "Speed up the lexer", LEXER);

    CliRun run = CliRun.of("plan", "--explain", "--count", "3", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Predicted to touch the same files (conflicts.overlap: wait):\n")
        .contains(
            "Speed up the lexer ["
                + lexer.id().shortId()
                + "] waits for Tidy the parser ["
                + parser.id().shortId()
                + "]: both touch "
                + LEXER
                + ", "
                + PARSER
                + "\n")
        .doesNotContain("Tidy the readme [" + readme.id().shortId() + "] waits");
  }

  @Test
  void withStackItSaysStacksOn() throws Exception {
    Path config = config("stack");
    enqueue(config, "Tidy the parser", PARSER);
    enqueue(config, "Speed up the lexer", LEXER);

    CliRun run = CliRun.of("plan", "--explain", "--count", "2", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("(conflicts.overlap: stack)")
        .contains("Speed up the lexer [")
        .contains("] stacks on Tidy the parser [")
        .contains(
            "A task stacked on one that fails or is cancelled starts from the base instead, its"
                + " pull request based on the base.\n");
  }
}
