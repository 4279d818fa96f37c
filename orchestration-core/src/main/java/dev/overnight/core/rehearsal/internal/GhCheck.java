package dev.overnight.core.rehearsal.internal;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.rehearsal.RehearsalFinding;
import dev.overnight.core.rehearsal.ServiceEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When the night opens pull requests: whether the service's {@code gh} is logged in, and whether
 * the service can push to the remote ({@code git push --dry-run}, which sends nothing). Each
 * command runs as the service would, within {@link #TIMEOUT}.
 */
public final class GhCheck {
  /** How long each command may take. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final OrchestrationConfig config;
  private final ServiceEnvironment service;
  private final CommandRunner commands;
  private final EnvironmentHints hints;

  /**
   * @param config whether pull requests are wanted, the remote and the branch prefix
   * @param service the service's context
   * @param commands runs gh and git as the service would
   * @param hints what this shell has that the service lacks
   */
  public GhCheck(
      OrchestrationConfig config,
      ServiceEnvironment service,
      CommandRunner commands,
      EnvironmentHints hints) {
    this.config = Objects.requireNonNull(config, "config");
    this.service = Objects.requireNonNull(service, "service");
    this.commands = Objects.requireNonNull(commands, "commands");
    this.hints = Objects.requireNonNull(hints, "hints");
  }

  /** Checks and adds what it found to {@code out}. */
  public void run(List<RehearsalFinding> out) {
    PrAutomation pr = config.prAutomation();
    if (!pr.enabled()) {
      out.add(RehearsalFinding.ok("gh", "pull requests are off: gh is not needed"));
      return;
    }
    if (service.which("gh").isPresent()) {
      CommandResult auth = commands.run(List.of("gh", "auth", "status"), TIMEOUT);
      if (auth.succeeded()) {
        out.add(RehearsalFinding.ok("gh", "gh is logged in for the service"));
      } else {
        List<String> tokens = hints.variablesOnlyThisShellHas("GH_TOKEN GITHUB_TOKEN");
        out.add(
            RehearsalFinding.problem(
                "gh",
                "gh is not logged in for the service ("
                    + oneLine(auth.describe() + " " + auth.stderr())
                    + "): no pull request can be opened",
                tokens.isEmpty()
                    ? "run `gh auth login` as the user the service runs as"
                    : hints.putKeys(tokens) + ", or run `gh auth login` as that user"));
      }
    }
    if (!pr.push()) {
      return;
    }
    Path workspace = config.workspaceRoot().path();
    String ref = "HEAD:refs/heads/" + pr.branchPrefix() + "rehearsal";
    CommandResult push =
        commands.run(
            List.of("git", "push", "--dry-run", pr.remote(), ref),
            workspace,
            Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_ASK_YESNO", "false"),
            TIMEOUT);
    if (push.succeeded()) {
      out.add(RehearsalFinding.ok("git push", "the service can push to " + pr.remote()));
    } else {
      out.add(
          RehearsalFinding.problem(
              "git push",
              "the service cannot push to "
                  + pr.remote()
                  + " ("
                  + oneLine(push.describe() + " " + push.tail(3))
                  + "): task branches stay local",
              "make `git -C "
                  + workspace
                  + " push --dry-run "
                  + pr.remote()
                  + " "
                  + ref
                  + "` work for the service's user (the remote's URL and credentials), or set"
                  + " pr_automation.push to false"));
    }
  }

  private static String oneLine(String text) {
    return text.replace('\n', ' ').replaceAll("\\s+", " ").strip();
  }
}
