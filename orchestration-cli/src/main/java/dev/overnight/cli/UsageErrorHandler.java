package dev.overnight.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Answers a wrong command line — an unknown option or command, a missing or malformed value, an
 * unknown task id — with what is wrong, picocli's "did you mean" when it has one, and where the
 * usage is, then exit code {@value ExitCodes#USAGE}. The whole usage screen would bury the one line
 * that matters.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(
        cmd.getColorScheme()
            .errorText("error: " + TerminalText.text(String.valueOf(e.getMessage()))));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for its usage.");
    err.flush();
    return ExitCodes.USAGE;
  }
}
