package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.worktree.Git;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
  static final Path EXAMPLES =
      Path.of(System.getProperty("overnight.moduleDir", "."), "../examples/configs").normalize();

  @TempDir Path dir;

  @Test
  void validatePrintsOkForEveryExample() {
    CliRun run =
        CliRun.of(
            "config",
            "validate",
            EXAMPLES.resolve("nightly-refactor.json").toString(),
            EXAMPLES.resolve("minimal.json").toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).hasSize(2).allMatch(l -> l.startsWith("OK       "));
  }

  @Test
  void validateListsEveryProblemAndFails() throws IOException {
    // The configs' workspace, ".", is a repository with a commit, as a night needs.
    new Git(dir).check("init", "-q", "-b", "main");
    new Git(dir)
        .check(
            "-c",
            "user.email=d@e",
            "-c",
            "user.name=D",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "i");
    Path bad = dir.resolve("bad.json");
    Files.writeString(
        bad,
        "{\"id\":\"x\",\"workspace_root\":\".\",\"schedule\":{\"expression\":\"0 2 * *\"},"
            + "\"max_concurrent\":9}");
    Path good = dir.resolve("good.json");
    Files.writeString(
        good,
        "{\"id\":\"x\",\"workspace_root\":\".\",\"schedule\":{\"expression\":\"0 2 * * *\"}}");
    CliRun run = CliRun.of("config", "validate", good.toString(), bad.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.out())
        .isEqualTo(
            "OK       "
                + good
                + "\nINVALID  "
                + bad
                + " (2 problems)\n"
                + "  /max_concurrent: 9 is out of range: must be between 1 and 4\n"
                + "  /schedule/expression: \"0 2 * *\" has 4 fields: a cron expression has 5 (minute"
                + " hour day-of-month month day-of-week)\n");
  }

  @Test
  void validateSaysWhenTheWorkspaceIsNoRepositoryOrHasNoCommit() throws IOException {
    Path plain = Files.createDirectories(dir.resolve("plain"));
    Path fresh = Files.createDirectories(dir.resolve("fresh"));
    new Git(fresh).check("init", "-q", "-b", "main");
    Path ready = WorkerSetup.repository(dir).dir();

    assertThat(validate(plain).out())
        .contains("INVALID")
        .contains("/workspace_root: \"" + plain + "\" is not a git repository");
    assertThat(validate(fresh).out())
        .contains("INVALID")
        .contains("/workspace_root: \"" + fresh + "\" is a git repository without commits");
    CliRun ok = validate(ready);
    assertThat(ok.exitCode()).as(ok.out()).isZero();
    CliRun json = CliRun.of("config", "validate", "--json", configFor(plain).toString());
    assertThat(json.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(json.out()).contains("\"path\" : \"/workspace_root\"");
  }

  private CliRun validate(Path workspace) throws IOException {
    return CliRun.of("config", "validate", configFor(workspace).toString());
  }

  private Path configFor(Path workspace) throws IOException {
    Path file = dir.resolve(workspace.getFileName() + ".json");
    Files.writeString(
        file,
        "{\"id\":\"x\",\"workspace_root\":\""
            + workspace
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"}}");
    return file;
  }

  @Test
  void validateSpeaksJson() throws IOException {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{}");
    CliRun run = CliRun.of("config", "validate", "--json", bad.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.out())
        .contains("\"valid\" : false")
        .contains("\"path\" : \"/id\"")
        .contains("\"message\" : \"is required\"");
  }

  @Test
  void initWritesAValidConfigAndRefusesToOverwrite() throws IOException {
    Path file = dir.resolve("overnight.json");
    String workspace = WorkerSetup.repository(dir).dir().toString();
    CliRun run = CliRun.of("config", "init", "--workspace", workspace, "--output", file.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(CliRun.of("config", "validate", file.toString()).exitCode()).isZero();
    CliRun again =
        CliRun.of("config", "init", "--workspace", workspace, "--output", file.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(again.err()).contains("exists; use --force to overwrite it");
  }

  @Test
  void initToStandardOutput() {
    CliRun run = CliRun.of("config", "init", "--workspace", dir.toString(), "-o", "-");
    assertThat(run.out())
        .startsWith("{\n  \"id\" : \"" + dir.getFileName().toString().toLowerCase() + "\",")
        .contains("\"window_start\" : \"01:00\"");
  }

  @Test
  void schemaIsPrinted() {
    CliRun run = CliRun.of("config", "schema");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("\"title\": \"Overnight configuration\"");
  }

  @Test
  void versionAndHelp() {
    assertThat(CliRun.of("--version").out()).startsWith("overnight ").contains("Java ");
    CliRun help = CliRun.of("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Exit codes:").contains("config");
    assertThat(CliRun.of().exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.of("config", "validate").exitCode()).isEqualTo(ExitCodes.USAGE);
  }
}
