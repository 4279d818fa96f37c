package dev.overnight.cli;

/** The command's exit codes, as documented in {@code overnight --help}. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** A check failed or the work failed: an invalid config, an unavailable agent, a failed run. */
  public static final int FAILURE = 1;

  /** The command line was wrong (picocli's own code). */
  public static final int USAGE = 2;

  /** The state folder is used by another running daemon. */
  public static final int STATE_IN_USE = 3;

  private ExitCodes() {}
}
