package dev.overnight.api.config;

import dev.overnight.api.OrchestrationException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A configuration could not be loaded: every problem found, each with its JSON path.
 *
 * <p>Thrown by the config loader after it has looked at the whole document, so a user fixes all
 * problems in one pass. Also thrown when a configured component cannot be resolved at start (a
 * named constraint checker with no provider).
 *
 * @since 0.1.0
 */
public class ConfigException extends OrchestrationException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;
  private final String source;

  /**
   * Creates the exception.
   *
   * @param source what was loaded, e.g. a file path, for the message
   * @param problems at least one problem
   */
  public ConfigException(String source, List<ConfigProblem> problems) {
    super(render(source, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, sorted by path. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /** What was being loaded (a file path or a short description), when known. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  private static String render(String source, List<ConfigProblem> problems) {
    String header =
        (source == null ? "Invalid configuration" : "Invalid configuration " + source)
            + " ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):";
    return header + problems.stream().sorted().map(p -> "\n  " + p).collect(Collectors.joining());
  }
}
