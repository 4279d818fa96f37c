package dev.overnight.core.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.doctor.DoctorReport.ToolReport;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolsCheckTest {
  private static final CommandResult GIT = ok("git version 2.39.5\n");
  private static final CommandResult GH = ok("gh version 2.40.0 (2026-01-01)\nhttps://x\n");

  /** Answers as scripted; anything else is not found. Records each command and its time limit. */
  static final class Scripted implements CommandRunner {
    final Map<String, CommandResult> answers;
    final List<String> ran = new ArrayList<>();

    Scripted(Map<String, CommandResult> answers) {
      this.answers = answers;
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
      ran.add(String.join(" ", command) + " within " + timeout.toSeconds() + " s");
      return answers.getOrDefault(
          String.join(" ", command),
          CommandResult.notStarted(command, "command not found: " + command.get(0)));
    }
  }

  private static CommandResult ok(String out) {
    return CommandResult.exited(List.of("x"), 0, out, "");
  }

  private static Findings run(Scripted commands, boolean pullRequests) {
    Findings findings = new Findings();
    new ToolsCheck(commands, pullRequests).run(findings);
    return findings;
  }

  @Test
  void workingToolsReportWhatTheyPrintedWithinTheTimeLimit() {
    Scripted commands =
        new Scripted(
            Map.of(
                "git --version", GIT,
                "gh --version", GH,
                "gh auth status",
                    CommandResult.exited(
                        List.of("gh"), 0, "", "\n  github.com\n  ✓ Logged in as me\n")));

    Findings findings = run(commands, true);

    assertThat(findings.tools().orElseThrow())
        .containsExactly(
            new ToolReport("git", true, "git version 2.39.5"),
            new ToolReport("gh", true, "gh version 2.40.0 (2026-01-01)"),
            new ToolReport("gh auth", true, "github.com"));
    assertThat(commands.ran)
        .containsExactly(
            "git --version within 5 s", "gh --version within 5 s", "gh auth status within 5 s");
    assertThat(findings.problems()).isEmpty();
    assertThat(findings.warnings()).isEmpty();
  }

  @Test
  void ghNotLoggedInIsAProblemOnlyWhenPullRequestsAreWanted() {
    Map<String, CommandResult> answers =
        Map.of(
            "git --version", GIT,
            "gh --version", GH,
            "gh auth status", CommandResult.exited(List.of("gh"), 1, "", "not logged in\n"));
    String finding = "gh is not logged in (exit 1: not logged in): run `gh auth login`";

    Findings withPrs = run(new Scripted(answers), true);
    Findings withoutPrs = run(new Scripted(answers), false);

    assertThat(withPrs.problems()).containsExactly(finding);
    assertThat(withPrs.warnings()).isEmpty();
    assertThat(withoutPrs.problems()).isEmpty();
    assertThat(withoutPrs.warnings()).containsExactly(finding);
    assertThat(withPrs.tools().orElseThrow().get(2))
        .isEqualTo(new ToolReport("gh auth", false, "exit 1: not logged in"));
  }

  @Test
  void withoutGhItsLoginIsNotChecked() {
    Scripted commands =
        new Scripted(
            Map.of(
                "git --version",
                GIT,
                "gh --version",
                CommandResult.timedOut(List.of("gh"), Duration.ofSeconds(5), "", "")));

    Findings findings = run(commands, true);

    assertThat(commands.ran).doesNotContain("gh auth status within 5 s");
    assertThat(findings.tools().orElseThrow())
        .containsExactly(
            new ToolReport("git", true, "git version 2.39.5"),
            new ToolReport("gh", false, "timed out after 5 s"),
            new ToolReport("gh auth", false, "not checked: gh does not work"));
    assertThat(findings.problems())
        .containsExactly("gh does not work (timed out after 5 s): pull requests cannot be opened");
  }

  @Test
  void withoutGitEveryTaskIsBlockedWhateverThePullRequestSetting() {
    Findings findings = run(new Scripted(Map.of()), false);

    assertThat(findings.problems())
        .containsExactly("git does not work (command not found: git): tasks run in git worktrees");
    assertThat(findings.warnings())
        .containsExactly(
            "gh does not work (command not found: gh): pull requests cannot be opened");
  }
}
