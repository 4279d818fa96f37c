package dev.overnight.api.pipeline;

/**
 * One kind of pipeline step, named in a manifest's {@code op}: an agent turn, a command, the
 * quality gate, a pull request, or an embedder's own. ServiceLoader SPI: an operation discovered
 * under a name the built-ins use replaces nothing (the first one found by name wins, explicit
 * before discovered), so a plugin cannot take over {@code open_pr} silently.
 *
 * <p>Threading: {@link #run} is called on a coordinator worker thread, one step of one pipeline at
 * a time, but several pipelines may run at once: implementations must be stateless or thread-safe.
 * Implementations must have a public no-argument constructor.
 *
 * <p>Blocking: {@link #run} may block until the step is done (a build, an agent's turn); it should
 * return soon after the context's {@linkplain StepContext#isCancelled() cancellation}.
 *
 * <p>Errors: a step that did not do its job returns a {@linkplain StepStatus#FAILED failed} result
 * with its reason; an exception thrown counts as a failure of the step with the exception's
 * message, and is retried like one.
 *
 * @since 0.1.0
 */
public interface PipelineOperation {

  /**
   * The name a manifest's {@code op} uses, e.g. {@code command}; lower case, digits and {@code _}.
   */
  String name();

  /**
   * The parameters ({@code with} keys) the operation understands, and which of them it requires; a
   * manifest naming another is refused with its path.
   */
  OperationParameters parameters();

  /**
   * Whether the step changes something outside the worktree (pushes, opens a pull request, sends a
   * message). Such a step runs its effect through {@link StepContext#once} so that a pipeline
   * resumed after a crash never repeats it.
   */
  default boolean hasSideEffects() {
    return false;
  }

  /** Runs the step. */
  StepResult run(StepContext context);
}
