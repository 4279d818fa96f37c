package dev.overnight.api.pipeline;

import dev.overnight.api.config.PermissionMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a step's operation is given: its parameters (templates already filled in), the pipeline's
 * worktree, and Overnight's services, each bounded by the local config's policy and the step's
 * budget. Built by Overnight for one run of one step.
 *
 * <p>Threading: used by the operation on the thread that called it. Blocking: the services block
 * until done (an agent's turn, a command). Errors: a service refused by policy (an agent or program
 * the config does not allow) returns a failed result saying why rather than throwing.
 *
 * @since 0.1.0
 */
public interface StepContext {

  /** The step's id in the manifest. */
  String stepId();

  /** The task the pipeline runs as, as its short id. */
  String taskId();

  /** Which try of the step this is: 1, then 2 after a failure when the step has retries. */
  int attempt();

  /** The step's parameters with templates filled in. */
  Map<String, String> parameters();

  /** One parameter, filled in, if given. */
  default Optional<String> parameter(String key) {
    return Optional.ofNullable(parameters().get(key));
  }

  /** The pipeline's worktree: every step of one pipeline works on the same branch. */
  Path worktree();

  /** The branch the pipeline works on. */
  String branch();

  /** The pipeline's inputs. */
  Map<String, String> inputs();

  /** Whether the pipeline is being stopped (the cycle's deadline, Overnight stopping). */
  boolean isCancelled();

  /**
   * Runs one agent turn in the worktree: a new session of {@code agentId} (or the preferred allowed
   * agent when empty), the prompt sent, the turn awaited within the step's budget. The outputs hold
   * {@code message}, the agent's final message.
   *
   * @param mode the permission mode, never above the config's (a higher one is lowered to it)
   */
  StepResult agentTurn(Optional<String> agentId, String prompt, PermissionMode mode);

  /**
   * Runs a program (no shell) in the worktree. Only programs the local config allows for pipelines
   * run; another is refused. The outputs hold {@code exit_code} and {@code output} (the last
   * lines).
   */
  StepResult command(List<String> command, Duration timeout);

  /** Runs the config's quality gate in the worktree; succeeds when no gate is configured. */
  StepResult qualityGate();

  /**
   * Commits what is left in the worktree, pushes the branch and opens a pull request as the
   * config's {@code pr_automation} says; the outputs hold {@code pr_url} when one was opened.
   */
  StepResult openPullRequest(String title, String body);

  /** Records a message for whoever follows the night (the report until notifications exist). */
  StepResult notify(String message);

  /**
   * Waits for the checks of the pull request of this pipeline's branch to settle, up to {@code
   * timeout} (and never past the step's own time budget): succeeds when they passed, fails when one
   * failed or the time ran out. The outputs hold {@code conclusion} ({@code passed}, {@code failed}
   * or {@code timed_out}) and, when a check failed, {@code failing_check} and {@code check_summary}
   * (what it said), for later steps' prompts. Blocks the step's thread; unavailable where Overnight
   * cannot read the forge (the default).
   */
  default StepResult waitForChecks(Duration timeout) {
    return StepResult.unavailable(
        "waiting for CI is not available: Overnight reads checks from GitHub's REST API, which"
            + " needs a GitHub remote and GH_TOKEN (GH_ENTERPRISE_TOKEN for an Enterprise host)");
  }

  /**
   * Runs {@code effect} at most once for {@code key} in this pipeline, across retries and crashes:
   * its result is recorded before the pipeline moves on, and a later call with the same key returns
   * the recorded result without running it again.
   */
  StepResult once(String key, Supplier<StepResult> effect);
}
