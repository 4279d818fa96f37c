package dev.overnight.api.constraint;

/**
 * Checks one condition of the machine before a cycle runs: on AC power, on Wi-Fi, CPU below a
 * threshold, Do Not Disturb off, the user idle, or anything a plugin defines.
 *
 * <p>{@link #check()} may block (it may read files, run a short command or sample CPU over a short
 * window); the constraint gate runs checkers in parallel on its own threads and turns a checker
 * that overruns its timeout (default 2 s) into {@code UNKNOWN}. It must be safe to call from any
 * thread, one call at a time. It should not throw: a platform that cannot tell returns {@link
 * ConstraintResult#unknown(String)}; an exception is treated the same way, with its message as the
 * reason.
 *
 * @since 0.1.0
 */
public interface ConstraintChecker {

  /** The config name this checker serves, e.g. {@code plugged_in}. */
  String name();

  /** Checks the condition now. */
  ConstraintResult check();
}
