package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's bad inputs end as the README's table of exit codes says, with a message that says
 * what is wrong: no usage screen, no exception name, no stack trace.
 */
class ExitCodesTest {
  static final Path README =
      Path.of(System.getProperty("overnight.moduleDir", "."), "../README.md").normalize();

  @TempDir Path dir;
  Path state;
  Path invalid;
  Path missing;
  Path valid;

  @BeforeEach
  void files() throws IOException {
    state = dir.resolve("state");
    invalid = dir.resolve("invalid.json");
    Files.writeString(invalid, "{\"id\":\"x\",\"schedule\":{\"expression\":\"0 2 * *\"}}");
    missing = dir.resolve("missing.json");
    valid = dir.resolve("valid.json");
    Files.writeString(
        valid,
        "{\"id\":\"x\",\"workspace_root\":\""
            + dir
            + "\",\"state_dir\":\""
            + state
            + "\",\"schedule\":{\"expression\":\"0 2 * * *\"}}");
  }

  /** Asserts the exit code, and that standard error says {@code message} in plain words. */
  private static CliRun assertExit(int code, String message, String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode())
        .as("overnight %s\n%s%s", String.join(" ", args), run.out(), run.err())
        .isEqualTo(code);
    assertThat(run.err())
        .as("overnight %s", String.join(" ", args))
        .contains(message)
        .doesNotContain("Usage:")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    return run;
  }

  private void assertBadConfig(String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of("--config", invalid.toString()));
    assertExit(ExitCodes.USAGE, "/schedule/expression", args.toArray(String[]::new));
    args.set(args.size() - 1, missing.toString());
    assertExit(ExitCodes.USAGE, "config file not found", args.toArray(String[]::new));
  }

  @Test
  void theReadmeTableAndTheHelpListTheSameCodes() throws IOException {
    String readme = Files.readString(README);
    List<String> table = new ArrayList<>();
    Matcher row = Pattern.compile("(?m)^\\| `(\\d)` \\|").matcher(readme);
    while (row.find()) {
      table.add(row.group(1));
    }
    assertThat(table).containsExactly("0", "1", "2", "3", "4");
    String help = CliRun.of("--help").out();
    String codes = help.substring(help.indexOf("Exit codes:"));
    for (String code : table) {
      assertThat(codes).containsPattern("(?m)^\\s+" + code + "\\s+\\S");
    }
  }

  @Test
  void unknownCommandsAndOptionsSayWhatIsWrongWithoutTheWholeUsage() {
    CliRun unknown = assertExit(ExitCodes.USAGE, "Unmatched argument", "frobnicate");
    assertThat(unknown.err()).contains("overnight --help");
    CliRun typo = assertExit(ExitCodes.USAGE, "Did you mean", "queue", "shw");
    assertThat(typo.err()).contains("show");
    assertExit(ExitCodes.USAGE, "Unknown option: '--colour'", "status", "--colour");
    assertExit(ExitCodes.USAGE, "Missing command", new String[0]);
  }

  @Test
  void run() {
    assertExit(ExitCodes.USAGE, "--config", "run");
    assertBadConfig("run");
    assertExit(ExitCodes.USAGE, "--port", "run", "--config", valid.toString(), "--port", "70000");
    assertExit(
        ExitCodes.USAGE, "--time-scale", "run", "--config", valid.toString(), "--time-scale", "0");
    assertThat(state).doesNotExist();
  }

  @Test
  void once() {
    assertExit(ExitCodes.USAGE, "--config", "once");
    assertBadConfig("once");
  }

  @Test
  void demo() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertExit(ExitCodes.USAGE, "--port", "demo", "--fast", "--port", "70000");
    assertExit(ExitCodes.USAGE, "--speed", "demo", "--speed", "0");
    assertExit(ExitCodes.USAGE, "is not a folder", "demo", "--fast", "--dir", file.toString());
  }

  @Test
  void status() {
    assertBadConfig("status");
  }

  @Test
  void plan() {
    assertBadConfig("plan");
  }

  @Test
  void queueAdd() {
    String stateDir = state.toString();
    assertExit(ExitCodes.USAGE, "--prompt", "queue", "add", "--state-dir", stateDir);
    for (String prompt : new String[] {"", "   ", "\n\t"}) {
      assertExit(
          ExitCodes.USAGE,
          "the prompt is empty",
          "queue",
          "add",
          "--state-dir",
          stateDir,
          "--prompt",
          prompt);
    }
    assertExit(
        ExitCodes.USAGE,
        "more than the 65536",
        "queue",
        "add",
        "--state-dir",
        stateDir,
        "--prompt",
        "x".repeat(10 * 1024 * 1024));
    for (String title : new String[] {"two\nlines", "\u001b[2J\u001b[Hcleared", " "}) {
      assertExit(
          ExitCodes.USAGE,
          "the title",
          "queue",
          "add",
          "--state-dir",
          stateDir,
          "--prompt",
          "Tidy",
          "--title",
          title);
    }
    assertExit(
        ExitCodes.USAGE,
        "the agent id",
        "queue",
        "add",
        "--state-dir",
        stateDir,
        "--prompt",
        "Tidy",
        "--agent",
        "");
    assertExit(
        ExitCodes.USAGE,
        "--priority",
        "queue",
        "add",
        "--state-dir",
        stateDir,
        "--prompt",
        "Tidy",
        "--priority",
        "urgent");
    assertThat(CliRun.of("queue", "list", "--state-dir", stateDir).out()).isEqualTo("No tasks.\n");
  }

  @Test
  void anArgumentStartingWithAtIsTakenLiterally() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "--title Injected\n--priority high\n");
    CliRun added =
        CliRun.of(
            "queue",
            "add",
            "--state-dir",
            state.toString(),
            "--json",
            "--prompt",
            "@" + dir.resolve("notes.txt"));
    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.out())
        .contains("\"prompt\" : \"@" + dir.resolve("notes.txt") + "\"")
        .doesNotContain("Injected");
  }

  @Test
  void queueList() {
    String stateDir = state.toString();
    assertExit(
        ExitCodes.USAGE, "--limit", "queue", "list", "--state-dir", stateDir, "--limit", "0");
    assertExit(
        ExitCodes.USAGE, "--limit", "queue", "list", "--state-dir", stateDir, "--limit", "-3");
    assertExit(
        ExitCodes.USAGE,
        "--status",
        "queue",
        "list",
        "--state-dir",
        stateDir,
        "--status",
        "sleeping");
  }

  @Test
  void queueShowCancelAndRetry() {
    String stateDir = state.toString();
    CliRun added = CliRun.of("queue", "add", "--state-dir", stateDir, "--prompt", "Tidy");
    assertThat(added.exitCode()).as(added.err()).isZero();
    String id = added.out().substring("Queued ".length(), "Queued ".length() + 8);
    for (String command : new String[] {"show", "cancel", "retry"}) {
      assertExit(ExitCodes.USAGE, "ID", "queue", command, "--state-dir", stateDir);
      assertExit(ExitCodes.USAGE, "task id", "queue", command, "--state-dir", stateDir, "");
      assertExit(ExitCodes.USAGE, "task id", "queue", command, "--state-dir", stateDir, "--", "-");
      assertExit(
          ExitCodes.USAGE, "No task zzzz", "queue", command, "--state-dir", stateDir, "zzzz");
    }
    assertExit(
        ExitCodes.FAILURE,
        "only a FAILED or CANCELLED task can be retried",
        "queue",
        "retry",
        "--state-dir",
        stateDir,
        id);
  }

  @Test
  void report() {
    assertExit(ExitCodes.USAGE, "mutually exclusive", "report", "--json", "--html");
    assertExit(ExitCodes.FAILURE, "nothing has run", "report", "--state-dir", state.toString());
  }

  @Test
  void schedulePreview() {
    assertExit(
        ExitCodes.USAGE,
        "--count",
        "schedule",
        "preview",
        "--config",
        valid.toString(),
        "--count",
        "0");
    assertBadConfig("schedule", "preview");
  }

  @Test
  void configValidateInitAndSchema() throws IOException {
    assertExit(ExitCodes.USAGE, "FILE", "config", "validate");
    CliRun invalidFile = CliRun.of("config", "validate", invalid.toString());
    assertThat(invalidFile.exitCode()).isEqualTo(ExitCodes.FAILURE);
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertExit(
        ExitCodes.USAGE, "Not a directory", "config", "init", "--workspace", file.toString());
    assertExit(ExitCodes.USAGE, "Unmatched argument", "config", "schema", "extra");
  }

  @Test
  void doctor() {
    assertBadConfig("doctor");
  }

  @Test
  void rehearse() {
    assertExit(ExitCodes.USAGE, "--config", "rehearse");
    assertBadConfig("rehearse");
  }

  @Test
  void agentTry() {
    String ws = dir.toString();
    assertExit(
        ExitCodes.USAGE,
        "No such folder",
        "agent",
        "try",
        "--agent",
        "codex",
        "--workspace",
        missing.toString(),
        "--prompt",
        "hi");
    assertExit(
        ExitCodes.USAGE,
        "the prompt is empty",
        "agent",
        "try",
        "--agent",
        "codex",
        "--workspace",
        ws,
        "--prompt",
        " ");
    assertExit(
        ExitCodes.USAGE,
        "--timeout",
        "agent",
        "try",
        "--agent",
        "codex",
        "--workspace",
        ws,
        "--prompt",
        "hi",
        "--timeout",
        "0");
  }

  @Test
  void serve() {
    assertExit(
        ExitCodes.USAGE, "--port", "serve", "--state-dir", state.toString(), "--port", "70000");
    assertExit(ExitCodes.USAGE, "--port", "serve", "--state-dir", state.toString(), "--port", "-1");
    assertExit(
        ExitCodes.USAGE,
        "--bind",
        "serve",
        "--state-dir",
        state.toString(),
        "--bind",
        "not an address");
  }

  @Test
  void installAndUninstallService() {
    for (String command : new String[] {"install-service", "uninstall-service"}) {
      assertExit(ExitCodes.USAGE, "--config", command);
      assertBadConfig(command);
    }
  }
}
