package dev.overnight.core.doctor.internal;

import dev.overnight.core.doctor.DoctorReport.ToolReport;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs {@code git --version}, {@code gh --version} and {@code gh auth status}, and records what
 * each printed or why it failed.
 *
 * <p>git that does not work is a problem: every task runs in a git worktree. gh that does not work,
 * or is not logged in, is a problem when the configuration opens pull requests and a warning
 * otherwise; when gh itself does not work its login is not checked. Each command runs within {@link
 * #COMMAND_TIMEOUT}, so the check blocks for at most three times that.
 */
public final class ToolsCheck implements DoctorCheck {
  /** How long each command may take. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private final CommandRunner commands;
  private final boolean pullRequestsWanted;

  /**
   * Checks the tools through {@code commands}.
   *
   * @param pullRequestsWanted whether the configuration opens pull requests, which need gh
   */
  public ToolsCheck(CommandRunner commands, boolean pullRequestsWanted) {
    this.commands = Objects.requireNonNull(commands, "commands");
    this.pullRequestsWanted = pullRequestsWanted;
  }

  @Override
  public void run(Findings findings) {
    List<ToolReport> tools = new ArrayList<>();
    CommandResult git = commands.run(List.of("git", "--version"), COMMAND_TIMEOUT);
    tools.add(toolReport("git", git));
    if (!git.succeeded()) {
      findings.problem("git does not work (" + git.describe() + "): tasks run in git worktrees");
    }
    CommandResult gh = commands.run(List.of("gh", "--version"), COMMAND_TIMEOUT);
    tools.add(toolReport("gh", gh));
    if (!gh.succeeded()) {
      ghFinding(
          findings, "gh does not work (" + gh.describe() + "): pull requests cannot be opened");
      tools.add(new ToolReport("gh auth", false, "not checked: gh does not work"));
      findings.reportTools(tools);
      return;
    }
    CommandResult auth = commands.run(List.of("gh", "auth", "status"), COMMAND_TIMEOUT);
    String authText = firstNonBlank(auth.stdout() + "\n" + auth.stderr());
    tools.add(
        new ToolReport("gh auth", auth.succeeded(), auth.succeeded() ? authText : auth.describe()));
    if (!auth.succeeded()) {
      ghFinding(findings, "gh is not logged in (" + auth.describe() + "): run `gh auth login`");
    }
    findings.reportTools(tools);
  }

  /** gh only stops Overnight when pull requests are wanted. */
  private void ghFinding(Findings findings, String text) {
    if (pullRequestsWanted) {
      findings.problem(text);
    } else {
      findings.warning(text);
    }
  }

  private static ToolReport toolReport(String name, CommandResult r) {
    return new ToolReport(name, r.succeeded(), r.succeeded() ? r.firstLine() : r.describe());
  }

  private static String firstNonBlank(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
  }
}
