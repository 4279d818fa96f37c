package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.config.CheckerCommand;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.CandidateSourceProvider;
import dev.overnight.api.decision.Evidence;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.api.decision.RepositorySnapshot;
import dev.overnight.api.decision.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Candidate source {@code checkers}: findings of the repository's own checkers ({@code
 * decision.checkers}: a linter, a type checker, {@code -Xlint}, {@code go vet}) in hot files. Each
 * command runs once with {@code sh -c} in the workspace; its output is read for {@code
 * path:line[:column]: message} lines. One candidate per checker and file, citing its findings.
 * Stateless; thread-safe.
 */
public final class CheckersSource implements CandidateSource, CandidateSourceProvider {
  /** The source's name. */
  public static final String NAME = "checkers";

  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final int MAX_FINDINGS = 10;
  private static final Pattern FINDING =
      Pattern.compile("^(?:\\[\\w+\\]\\s*)?([^:\\s][^:]*?):(\\d+)(?::\\d+)?:?\\s+(.+)$");

  /** Creates the source (also its own provider, for {@link java.util.ServiceLoader}). */
  public CheckersSource() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CandidateSource create(ProviderContext context) {
    return new CheckersSource();
  }

  /**
   * One line a checker reported.
   *
   * @param path the file, relative to the workspace
   * @param line its line
   * @param message what the checker said
   */
  record Finding(String path, int line, String message) {}

  @Override
  public List<Candidate> candidates(RepositorySnapshot repo) {
    List<CheckerCommand> checkers = repo.config().decision().checkers();
    if (checkers.isEmpty() || repo.hotFiles().isEmpty()) {
      return List.of();
    }
    Map<String, FileActivity> hot =
        repo.hotFiles().stream().collect(Collectors.toMap(FileActivity::path, Function.identity()));
    String root = repo.workspace().toString() + "/";
    List<Candidate> out = new ArrayList<>();
    for (CheckerCommand checker : checkers) {
      RepositorySnapshot.CommandOutput result =
          repo.run(List.of("sh", "-c", checker.command()), TIMEOUT);
      Map<String, List<Finding>> byFile = new LinkedHashMap<>();
      for (Finding f : parse(result.output(), root)) {
        if (hot.containsKey(f.path())) {
          byFile.computeIfAbsent(f.path(), k -> new ArrayList<>()).add(f);
        }
      }
      byFile.forEach((path, findings) -> out.add(candidate(checker, hot.get(path), findings)));
    }
    return out;
  }

  static List<Finding> parse(String output, String root) {
    List<Finding> out = new ArrayList<>();
    for (String raw : output.split("\n")) {
      String line = raw.strip();
      Matcher m = FINDING.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String path = m.group(1);
      if (path.startsWith(root)) {
        path = path.substring(root.length());
      }
      if (path.startsWith("./")) {
        path = path.substring(2);
      }
      try {
        out.add(new Finding(path, Integer.parseInt(m.group(2)), m.group(3).strip()));
      } catch (NumberFormatException e) {
        // not a finding
      }
    }
    return out;
  }

  private Candidate candidate(CheckerCommand checker, FileActivity f, List<Finding> findings) {
    List<Finding> cited = findings.stream().limit(MAX_FINDINGS).toList();
    StringBuilder prompt =
        new StringBuilder("Fix what ")
            .append(checker.name())
            .append(" (`")
            .append(checker.command())
            .append("`) reports in ")
            .append(f.path())
            .append(":");
    for (Finding x : cited) {
      prompt.append("\n- line ").append(x.line()).append(": ").append(x.message());
    }
    if (findings.size() > cited.size()) {
      prompt.append("\n- and ").append(findings.size() - cited.size()).append(" more");
    }
    prompt.append(
        "\nChange only what these findings need, keep the behaviour unchanged, and run "
            + checker.name()
            + " again to check that they are gone.");
    double confidence =
        Math.min(0.85, 0.6 + findings.size() * 0.02 + Math.min(f.touches(), 10) * 0.01);
    List<Evidence> evidence = new ArrayList<>();
    for (Finding x : cited) {
      evidence.add(
          new Evidence(
              "checker",
              checker.name() + ": " + x.message(),
              Optional.of(f.path()),
              Optional.of(x.line()),
              Optional.empty()));
    }
    return new Candidate(
        NAME,
        CandidateKind.CHECKER_FINDING,
        List.of(f.path()),
        "Fix "
            + findings.size()
            + " "
            + checker.name()
            + " finding"
            + (findings.size() == 1 ? "" : "s")
            + " in "
            + SourceFiles.fileName(f.path()),
        prompt.toString(),
        RegressionTestsSource.round(confidence),
        List.of(
            new Signal("findings", findings.size() + " from " + checker.name(), 0.6),
            new Signal(
                "churn", f.touches() + " commits", RegressionTestsSource.round(confidence - 0.6))),
        evidence);
  }
}
