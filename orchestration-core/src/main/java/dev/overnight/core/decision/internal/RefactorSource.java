package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.CandidateSourceProvider;
import dev.overnight.api.decision.Evidence;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.api.decision.RepositorySnapshot;
import dev.overnight.api.decision.Signal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Candidate source {@code refactor}: files that are both large or complex and hot. Ranked by size ×
 * churn (non-blank lines × commits in the window); a file qualifies with at least {@value
 * #MIN_TOUCHES} commits and either {@value #LARGE_LINES} non-blank lines or a function of {@value
 * #LONG_FUNCTION} lines or more. No goal or keyword is required: goals only bias the ranking. The
 * prompt names the size, the churn and the longest functions. Reads file text only; stateless and
 * thread-safe.
 */
public final class RefactorSource implements CandidateSource, CandidateSourceProvider {
  /** The source's name. */
  public static final String NAME = "refactor";

  static final int MIN_TOUCHES = 3;
  static final int LARGE_LINES = 300;
  static final int LONG_FUNCTION = 60;
  private static final int MAX_FILES = 60;
  private static final int MAX = 5;

  private static final Pattern PY_DEF = Pattern.compile("^(\\s*)(?:async\\s+)?def\\s+(\\w+)");
  private static final Pattern BRACE_FUNCTION =
      Pattern.compile(
          "^\\s*(?:func\\s+(?:\\([^)]*\\)\\s*)?(\\w+)|.*?\\bfunction\\s*(\\w*)"
              + "|(?:[\\w<>\\[\\],.?@]+\\s+)*(\\w+)\\s*\\([^;]*\\)\\s*(?:throws\\s+[\\w.,\\s]+)?"
              + "|(?:const|let|var)\\s+(\\w+)\\s*=.*=>).*\\{\\s*$");
  private static final Set<String> NOT_FUNCTIONS =
      Set.of(
          "if",
          "for",
          "while",
          "switch",
          "catch",
          "else",
          "return",
          "new",
          "do",
          "try",
          "synchronized",
          "with");

  /** Creates the source (also its own provider, for {@link java.util.ServiceLoader}). */
  public RefactorSource() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CandidateSource create(ProviderContext context) {
    return new RefactorSource();
  }

  /**
   * A function and its length.
   *
   * @param name its name
   * @param line its first line
   * @param length how many lines it spans
   */
  record Function(String name, int line, int length) {}

  private record Sized(FileActivity file, int lines, List<Function> longest, long score) {}

  @Override
  public List<Candidate> candidates(RepositorySnapshot repo) {
    List<Sized> sized = new ArrayList<>();
    for (FileActivity f : repo.hotFiles().stream().limit(MAX_FILES).toList()) {
      if (f.touches() < MIN_TOUCHES || !SourceFiles.isSource(f.path())) {
        continue;
      }
      Optional<String> text = repo.read(f.path());
      if (text.isEmpty()) {
        continue;
      }
      int lines = (int) text.get().lines().filter(l -> !l.isBlank()).count();
      List<Function> functions = functions(f.path(), text.get());
      List<Function> longest =
          functions.stream()
              .filter(fn -> fn.length() >= LONG_FUNCTION)
              .sorted(Comparator.comparingInt(Function::length).reversed())
              .limit(3)
              .toList();
      if (lines < LARGE_LINES && longest.isEmpty()) {
        continue;
      }
      sized.add(new Sized(f, lines, longest, (long) lines * f.touches()));
    }
    sized.sort(Comparator.comparingLong(Sized::score).reversed());
    return sized.stream().limit(MAX).map(this::candidate).toList();
  }

  private Candidate candidate(Sized s) {
    String path = s.file().path();
    StringBuilder prompt =
        new StringBuilder("Refactor ")
            .append(path)
            .append(": it is one of the most changed files of the repository and has ")
            .append(s.lines())
            .append(" non-blank lines");
    if (!s.longest().isEmpty()) {
      prompt.append("; its longest functions are ");
      List<String> names = new ArrayList<>();
      for (Function fn : s.longest()) {
        names.add(fn.name() + " (line " + fn.line() + ", " + fn.length() + " lines)");
      }
      prompt.append(String.join(", ", names));
    }
    prompt.append(
        ". Make the code that keeps changing easier to change: split the long functions into"
            + " well-named steps, remove duplication, and simplify the control flow. Keep its"
            + " behaviour and public API unchanged and its tests passing; add tests first where"
            + " the code you touch has none.");
    double confidence =
        Math.min(
            0.85,
            0.45 + Math.min(s.file().touches(), 20) * 0.02 + (s.longest().isEmpty() ? 0 : 0.05));
    List<Evidence> evidence = new ArrayList<>();
    evidence.add(
        Evidence.ofFile(
            "size",
            s.lines() + " non-blank lines, " + s.file().touches() + " commits in the window",
            path));
    for (Function fn : s.longest()) {
      evidence.add(
          new Evidence(
              "long_function",
              fn.name() + ": " + fn.length() + " lines",
              Optional.of(path),
              Optional.of(fn.line()),
              Optional.empty()));
    }
    return new Candidate(
        NAME,
        CandidateKind.REFACTOR,
        List.of(path),
        "Refactor "
            + SourceFiles.fileName(path)
            + " ("
            + s.lines()
            + " lines, "
            + s.file().touches()
            + " commits)",
        prompt.toString(),
        RegressionTestsSource.round(confidence),
        List.of(
            new Signal(
                "size_x_churn", s.lines() + " lines × " + s.file().touches() + " commits", 0.45),
            new Signal(
                "churn",
                s.file().touches() + " commits",
                RegressionTestsSource.round(Math.min(s.file().touches(), 20) * 0.02)),
            new Signal(
                "long_functions",
                s.longest().size() + " of " + LONG_FUNCTION + "+ lines",
                s.longest().isEmpty() ? 0 : 0.05)),
        evidence);
  }

  /** The functions of a file with their lengths, by indentation (Python) or braces (others). */
  static List<Function> functions(String path, String text) {
    String[] lines = text.split("\n", -1);
    List<Function> out = new ArrayList<>();
    if (SourceFiles.extension(path).equals("py")) {
      for (int i = 0; i < lines.length; i++) {
        Matcher m = PY_DEF.matcher(lines[i]);
        if (!m.find()) {
          continue;
        }
        int indent = m.group(1).length();
        int end = i;
        for (int j = i + 1; j < lines.length; j++) {
          String l = lines[j];
          if (l.isBlank()) {
            continue;
          }
          if (indent(l) <= indent && !l.strip().startsWith(")")) {
            break;
          }
          end = j;
        }
        out.add(new Function(m.group(2), i + 1, end - i + 1));
      }
      return out;
    }
    for (int i = 0; i < lines.length; i++) {
      Matcher m = BRACE_FUNCTION.matcher(lines[i]);
      if (!m.matches()) {
        continue;
      }
      String name = null;
      for (int g = 1; g <= m.groupCount() && name == null; g++) {
        if (m.group(g) != null && !m.group(g).isEmpty()) {
          name = m.group(g);
        }
      }
      if (name == null || NOT_FUNCTIONS.contains(name)) {
        continue;
      }
      int depth = 0;
      int end = i;
      boolean opened = false;
      for (int j = i; j < lines.length; j++) {
        for (char c : lines[j].toCharArray()) {
          if (c == '{') {
            depth++;
            opened = true;
          } else if (c == '}') {
            depth--;
          }
        }
        end = j;
        if (opened && depth <= 0) {
          break;
        }
      }
      out.add(new Function(name, i + 1, end - i + 1));
    }
    return out;
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t')) {
      n++;
    }
    return n;
  }
}
