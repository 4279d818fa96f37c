package dev.overnight.core.coordinator;

import dev.overnight.api.config.QualityGate;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the configured verify command in a worktree. Thread-safe; blocks up to its timeout. */
final class QualityGateRunner {
  private final QualityGate gate;

  QualityGateRunner(QualityGate gate) {
    this.gate = gate;
  }

  boolean enabled() {
    return gate.verifyCommand().isPresent();
  }

  Optional<GateResult> run(Path worktree, int attempt) {
    return gate.verifyCommand()
        .map(
            command -> {
              long started = System.nanoTime();
              CommandResult r =
                  CommandRunner.system()
                      .run(
                          List.of("sh", "-c", command),
                          worktree,
                          Map.of(),
                          Duration.ofSeconds(gate.timeoutSec()));
              return new GateResult(
                  command,
                  r.succeeded(),
                  r.exitCode(),
                  r.tail(60),
                  Duration.ofNanos(System.nanoTime() - started),
                  attempt);
            });
  }

  /** The prompt that sends a failed gate back to the agent. */
  static String retryPrompt(GateResult failed) {
    return "The verification command `"
        + failed.command()
        + "` failed"
        + (failed.exitCode() >= 0 ? " with exit code " + failed.exitCode() : " (timed out)")
        + ". Its output ends with:\n\n```\n"
        + failed.outputTail()
        + "\n```\n\nFix the problem in this worktree, run the command again to check, and commit.";
  }
}
