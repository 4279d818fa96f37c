package dev.overnight.core.coordinator;

import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.queue.Task;
import dev.overnight.core.worktree.Worktree;
import java.util.Optional;

/**
 * Turns a finished task's worktree into something to review: at least a commit on the task's
 * branch, and — as the configuration's {@code pr_automation} says — a pushed branch and a pull
 * request. Plugged in on the runtime's builder; {@link #gh} is the default.
 *
 * <p>A step that cannot happen (no remote, push rejected, the tool missing or logged out) is
 * recorded in the result with its reason, never thrown: the work is on the branch either way.
 * Implementations are thread-safe; {@link #publish} blocks on git and the network.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PullRequestPublisher {

  /**
   * Commits what the agent left, then pushes and opens a pull request when the settings say so.
   *
   * @param worktree the task's worktree, its branch checked out
   * @param task the task, as claimed
   * @param gate the quality gate's result, when one ran
   * @param summary what the agent said it did
   */
  PublishResult publish(Worktree worktree, Task task, Optional<GateResult> gate, String summary);

  /** The publisher that opens pull requests with {@code gh} from {@code PATH}. */
  static PullRequestPublisher gh(PrAutomation settings) {
    return new GhPullRequestPublisher(settings);
  }
}
