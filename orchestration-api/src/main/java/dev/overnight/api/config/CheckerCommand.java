package dev.overnight.api.config;

import java.util.Objects;

/**
 * One of the repository's own checkers (a linter, a type checker, {@code go vet}), run by the
 * decision engine to find work in hot files. Its output is read for {@code path:line: message}
 * lines.
 *
 * @param name what to call it in proposals, e.g. {@code ruff}
 * @param command the command line, run by {@code sh -c} in the workspace
 * @since 0.1.0
 */
public record CheckerCommand(String name, String command) {
  /** Validates the components. */
  public CheckerCommand {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(command, "command");
  }
}
