package dev.overnight.cli;

/**
 * The command's exit codes, one table for every command, as {@code overnight --help} and the README
 * list them.
 *
 * @since 0.1.0
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /**
   * A check found a problem or the work failed: {@code doctor} or {@code config validate} found
   * one, a run failed, {@code once} found its constraints unsatisfied, completed none of the tasks
   * it tried, or found no agent available; {@code run} found no allowed agent available when it
   * started.
   */
  public static final int FAILURE = 1;

  /**
   * The input was wrong: the command line (an unknown option, a missing or malformed value, an
   * unknown task id) or the configuration file it names (missing, unreadable, invalid).
   */
  public static final int USAGE = 2;

  /** Cannot run now: the state folder is used by another running daemon. */
  public static final int STATE_IN_USE = 3;

  /**
   * {@code agent try}: the agent cannot run on this machine (not installed, not logged in); the
   * same "cannot run now" code as {@link #STATE_IN_USE}.
   */
  public static final int AGENT_UNAVAILABLE = STATE_IN_USE;

  /** {@code agent try}: the agent failed (crash, protocol error, usage limit, timeout). */
  public static final int AGENT_FAILED = 4;

  private ExitCodes() {}
}
