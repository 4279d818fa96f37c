package dev.overnight.cli;

import dev.overnight.api.OrchestrationException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a command into a plain message and exit code 1: users see what went
 * wrong and what to do, not a stack trace (which {@code --debug} still prints).
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    boolean debug = parseResult.originalArgs().contains("--debug");
    String message =
        e instanceof OrchestrationException
            ? e.getMessage()
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    cmd.getErr().println(cmd.getColorScheme().errorText("error: " + message));
    if (debug) {
      e.printStackTrace(cmd.getErr());
    }
    return ExitCodes.FAILURE;
  }
}
