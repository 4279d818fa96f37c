package dev.overnight.core.decision.internal;

import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.time.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs read-only git commands in a workspace through core's {@link CommandRunner}: no optional
 * locks (not even the index is refreshed), no prompt, the caller's {@code GIT_DIR} and {@code
 * GIT_WORK_TREE} ignored, C locale, unquoted paths. Thread-safe; each call blocks for as long as
 * git runs, at most the timeout.
 */
public final class GitReader {
  /** The whole output is the answer: keep up to 128 MiB of it, not only its tail. */
  private static final CommandRunner RUNNER = CommandRunner.system(128 * 1024 * 1024);

  private final Path workspace;
  private final Duration timeout;

  /** A reader of {@code workspace}'s repository, each command bounded by {@code timeout}. */
  public GitReader(Path workspace, Duration timeout) {
    this.workspace = workspace;
    this.timeout = timeout;
  }

  /** The workspace folder. */
  public Path workspace() {
    return workspace;
  }

  /**
   * What a git command printed.
   *
   * @param stdout its standard output, when it exited 0
   * @param problem why it did not, if so
   */
  public record Output(String stdout, Optional<String> problem) {
    /** Whether it exited 0. */
    public boolean ok() {
      return problem.isEmpty();
    }
  }

  /** Runs {@code git args…}. */
  public Output git(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.add("-c");
    command.add("core.quotepath=off");
    command.add("-c");
    command.add("log.showSignature=false");
    command.addAll(args);
    Map<String, String> env = new HashMap<>();
    env.put("GIT_OPTIONAL_LOCKS", "0");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_DIR", null);
    env.put("GIT_WORK_TREE", null);
    env.put("GIT_INDEX_FILE", null);
    env.put("LC_ALL", "C");
    CommandResult r = RUNNER.run(command, workspace, env, timeout);
    if (r.outcome() == CommandResult.Outcome.NOT_STARTED) {
      return new Output("", Optional.of("git could not be run: " + r.failure()));
    }
    if (r.outcome() == CommandResult.Outcome.TIMED_OUT) {
      return new Output(
          "",
          Optional.of("git " + args.get(0) + " did not finish within " + Durations.human(timeout)));
    }
    if (r.exitCode() != 0) {
      String err = r.stderr().strip().lines().findFirst().orElse("exit code " + r.exitCode());
      return new Output(r.stdout(), Optional.of("git " + args.get(0) + " failed: " + err));
    }
    return new Output(r.stdout(), Optional.empty());
  }

  /** Runs {@code git args…}. */
  public Output git(String... args) {
    return git(List.of(args));
  }

  /** Runs a configured command with {@code sh -c} in the workspace. */
  public CommandResult shell(String commandLine, Duration limit) {
    return RUNNER.run(List.of("sh", "-c", commandLine), workspace, Map.of(), limit);
  }

  /** Runs a command without a shell in the workspace. */
  public CommandResult run(List<String> command, Duration limit) {
    return RUNNER.run(command, workspace, Map.of(), limit);
  }
}
