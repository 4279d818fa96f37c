package dev.overnight.cli;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a command into a plain message and an exit code: users see what went
 * wrong and what to do, not a stack trace (which {@code --debug} still prints). An invalid or
 * unreadable configuration is the user's input to fix, {@value ExitCodes#USAGE} as in every
 * command; anything else is {@value ExitCodes#FAILURE}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    boolean debug = parseResult.originalArgs().contains("--debug");
    String message =
        e instanceof OrchestrationException
            ? e.getMessage()
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    cmd.getErr().println(cmd.getColorScheme().errorText("error: " + TerminalText.text(message)));
    if (debug) {
      e.printStackTrace(cmd.getErr());
    }
    return e instanceof ConfigException ? ExitCodes.USAGE : ExitCodes.FAILURE;
  }
}
