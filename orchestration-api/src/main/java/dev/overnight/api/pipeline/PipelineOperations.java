package dev.overnight.api.pipeline;

/**
 * The names of the operations Overnight ships, as manifests spell them.
 *
 * @since 0.1.0
 */
public final class PipelineOperations {
  /** One agent turn: {@code agent}, {@code role}, {@code prompt}. */
  public static final String AGENT_TURN = "agent_turn";

  /** A program run in the worktree: {@code run}, {@code timeout_sec}. */
  public static final String COMMAND = "command";

  /** The config's quality gate. */
  public static final String QUALITY_GATE = "quality_gate";

  /** A read-only turn of another agent reviewing the branch: {@code agent}, {@code prompt}. */
  public static final String REVIEW = "review";

  /** Push the branch and open a pull request: {@code title}, {@code body}. */
  public static final String OPEN_PR = "open_pr";

  /** A message for whoever follows the night: {@code message}. */
  public static final String NOTIFY = "notify";

  /** Wait for the pull request's CI checks. */
  public static final String WAIT_FOR_CI = "wait_for_ci";

  private PipelineOperations() {}
}
