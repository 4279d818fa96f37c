package dev.overnight.cli;

import picocli.CommandLine;

/**
 * Entry point of the {@code overnight} command.
 *
 * @since 0.1.0
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    configureLogging(args);
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line, for tests and embedding. Arguments are taken literally: picocli's
   * {@code @file} expansion is off, so a prompt such as {@code @notes.txt} is that text, not the
   * file's words spread over the command line.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new OvernightCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExpandAtFiles(false)
        .setParameterExceptionHandler(new UsageErrorHandler())
        .setExecutionExceptionHandler(new ErrorHandler());
  }

  /**
   * Sets the log level before the first logger is created: slf4j-simple reads its configuration
   * once, so the flags are looked at here rather than by picocli.
   */
  private static void configureLogging(String[] args) {
    String level = null;
    for (String a : args) {
      if (a.equals("--debug")) {
        level = "debug";
      } else if ((a.equals("-v") || a.equals("--verbose")) && level == null) {
        level = "info";
      }
    }
    if (level != null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    }
  }
}
