package dev.overnight.api.schedule;

/**
 * The work the scheduler triggers: one cycle. The coordinator is the usual implementation.
 *
 * <p>Called on the scheduler's cycle thread, never twice at once. It blocks until the cycle ends,
 * which must be by {@link CycleContext#deadline()}. An exception ends the cycle; it is logged and
 * reported in {@link SchedulerEvent.CycleFinished}, and the scheduler goes on.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CycleRunner {

  /** Runs one cycle. */
  void runCycle(CycleContext context) throws Exception;
}
