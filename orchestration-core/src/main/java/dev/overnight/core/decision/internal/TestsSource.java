package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.CandidateSourceProvider;
import dev.overnight.api.decision.Evidence;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.api.decision.RepositorySnapshot;
import dev.overnight.api.decision.RepositorySnapshot.Commit;
import dev.overnight.api.decision.RepositorySnapshot.FileChange;
import dev.overnight.api.decision.RepositorySnapshot.GrepHit;
import dev.overnight.api.decision.Signal;
import dev.overnight.core.decision.TestFinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Candidate source {@code tests}: hot source files that evidence says are untested. A file counts
 * as tested when a coverage report says most of its lines run, or, without coverage data for it,
 * when a test file of its language's naming convention exists, when test files changed together
 * with it in the window's commits, or when test files reference its module or types ({@code git
 * grep}). The prompt names the uncovered methods and lines when a report has them.
 *
 * <p>Without a coverage report, a file must have changed at least {@value #MIN_TOUCHES} times in
 * the window. Runs {@code decision.coverage_command} first when configured. Stateless; thread-safe.
 */
public final class TestsSource implements CandidateSource, CandidateSourceProvider {
  /** The source's name. */
  public static final String NAME = "tests";

  /** Files at least this covered count as tested. */
  static final double COVERED = 0.6;

  /** Without a coverage report, only files changed at least this often are proposed. */
  static final int MIN_TOUCHES = 2;

  private static final int MAX_FILES = 40;
  private static final int WORDS_PER_FILE = 6;
  private static final Set<String> GENERIC =
      Set.of(
          "index", "main", "init", "utils", "util", "common", "helpers", "helper", "base", "lib");
  private static final Pattern TYPE =
      Pattern.compile(
          "(?m)^\\s*(?:export\\s+)?(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+|data\\s+)*"
              + "(?:class|interface|enum|record|struct|trait|object)\\s+([A-Z][A-Za-z0-9_]{2,})");
  private static final Pattern GO_NAME =
      Pattern.compile("(?m)^(?:type\\s+([A-Z]\\w+)|func\\s+(?:\\([^)]*\\)\\s*)?([A-Z]\\w+))");
  private static final Pattern JS_NAME =
      Pattern.compile(
          "(?m)^export\\s+(?:default\\s+)?(?:async\\s+)?(?:function|class|const)\\s+(\\w{4,})");

  /** Git pathspecs that select the usual test files (and some others, filtered afterwards). */
  public static final List<String> TEST_PATHSPECS =
      List.of(
          ":(glob)**/*test*",
          ":(glob)**/*Test*",
          ":(glob)**/test/**",
          ":(glob)**/tests/**",
          ":(glob)**/__tests__/**",
          ":(glob)**/spec/**");

  /** Creates the source (also its own provider, for {@link java.util.ServiceLoader}). */
  public TestsSource() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CandidateSource create(ProviderContext context) {
    return new TestsSource();
  }

  @Override
  public List<Candidate> candidates(RepositorySnapshot repo) {
    List<FileActivity> files =
        repo.hotFiles().stream()
            .filter(f -> SourceFiles.isSource(f.path()))
            .limit(MAX_FILES)
            .toList();
    if (files.isEmpty()) {
      return List.of();
    }
    repo.config()
        .decision()
        .coverageCommand()
        .ifPresent(cmd -> repo.run(List.of("sh", "-c", cmd), Duration.ofMinutes(20)));
    CoverageReports coverage = CoverageReports.find(repo.workspace());
    Map<String, Set<String>> coChanged = coChanges(repo);
    Set<String> allFiles = new HashSet<>(repo.files());
    Map<String, List<String>> words = new LinkedHashMap<>();
    for (FileActivity f : files) {
      words.put(f.path(), wordsOf(f.path(), repo.read(f.path()).orElse("")));
    }
    Map<String, Map<String, Integer>> references = references(repo, words);

    List<Candidate> out = new ArrayList<>();
    for (FileActivity f : files) {
      String path = f.path();
      Optional<CoverageReports.FileCoverage> cov = coverage.of(path);
      if (cov.isPresent()) {
        if (cov.get().ratio() < COVERED) {
          out.add(fromCoverage(f, cov.get()));
        }
        continue;
      }
      if (TestFinder.candidates(path).stream().anyMatch(allFiles::contains)) {
        continue;
      }
      if (!coChanged.getOrDefault(path, Set.of()).isEmpty()) {
        continue;
      }
      if (f.touches() < MIN_TOUCHES) {
        continue; // changed once: too little to say it is where the work is
      }
      Map<String, Integer> refs = references.getOrDefault(path, Map.of());
      if (refs.values().stream().mapToInt(Integer::intValue).sum() >= 2) {
        continue;
      }
      out.add(untested(f, words.get(path), coverage.isEmpty()));
    }
    return out;
  }

  private static Map<String, Set<String>> coChanges(RepositorySnapshot repo) {
    Map<String, Set<String>> co = new TreeMap<>();
    for (Commit c : repo.commits()) {
      List<String> tests = new ArrayList<>();
      for (FileChange ch : c.changes()) {
        if (repo.isTest(ch.path())) {
          tests.add(ch.path());
        }
      }
      if (tests.isEmpty()) {
        continue;
      }
      for (FileChange ch : c.changes()) {
        if (!repo.isTest(ch.path())) {
          co.computeIfAbsent(ch.path(), k -> new LinkedHashSet<>()).addAll(tests);
        }
      }
    }
    return co;
  }

  /** The names a test would use to reach the file: its module name and its declared types. */
  public static List<String> wordsOf(String path, String text) {
    Set<String> w = new LinkedHashSet<>();
    String name = SourceFiles.fileName(path);
    String base = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    if (base.length() >= 4 && !GENERIC.contains(base.toLowerCase(Locale.ROOT))) {
      w.add(base);
    }
    String ext = SourceFiles.extension(path);
    Pattern p =
        switch (ext) {
          case "go" -> GO_NAME;
          case "js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts" -> JS_NAME;
          default -> TYPE;
        };
    for (Pattern pattern : List.of(TYPE, p)) {
      Matcher m = pattern.matcher(text);
      while (m.find() && w.size() < WORDS_PER_FILE) {
        for (int g = 1; g <= m.groupCount(); g++) {
          if (m.group(g) != null) {
            w.add(m.group(g));
          }
        }
      }
    }
    return List.copyOf(w);
  }

  private static Map<String, Map<String, Integer>> references(
      RepositorySnapshot repo, Map<String, List<String>> words) {
    Map<String, List<String>> owners = new TreeMap<>();
    words.forEach(
        (file, ws) -> ws.forEach(w -> owners.computeIfAbsent(w, k -> new ArrayList<>()).add(file)));
    Map<String, Map<String, Integer>> refs = new TreeMap<>();
    if (owners.isEmpty()) {
      return refs;
    }
    for (GrepHit hit : repo.grep(List.copyOf(owners.keySet()), TEST_PATHSPECS)) {
      if (!repo.isTest(hit.path())) {
        continue;
      }
      for (Map.Entry<String, List<String>> e : owners.entrySet()) {
        if (containsWord(hit.text(), e.getKey())) {
          for (String file : e.getValue()) {
            if (!file.equals(hit.path())) {
              refs.computeIfAbsent(file, k -> new TreeMap<>()).merge(hit.path(), 1, Integer::sum);
            }
          }
        }
      }
    }
    return refs;
  }

  /** Whether {@code text} holds {@code word} as a whole identifier. */
  public static boolean containsWord(String text, String word) {
    int i = text.indexOf(word);
    while (i >= 0) {
      boolean before = i == 0 || !Character.isJavaIdentifierPart(text.charAt(i - 1));
      int end = i + word.length();
      boolean after = end >= text.length() || !Character.isJavaIdentifierPart(text.charAt(end));
      if (before && after) {
        return true;
      }
      i = text.indexOf(word, i + 1);
    }
    return false;
  }

  private Candidate fromCoverage(FileActivity f, CoverageReports.FileCoverage cov) {
    int pct = (int) Math.round(cov.ratio() * 100);
    List<String> methods = cov.uncoveredMethods().stream().limit(12).toList();
    String lines = ranges(cov.uncoveredLines(), 12);
    StringBuilder prompt = new StringBuilder();
    prompt
        .append("Add tests for ")
        .append(f.path())
        .append(": the coverage report shows only ")
        .append(pct)
        .append("% of its lines run by the tests (")
        .append(cov.covered())
        .append(" of ")
        .append(cov.covered() + cov.missed())
        .append(").");
    if (!methods.isEmpty()) {
      prompt.append(" Methods no test runs: ").append(String.join(", ", methods)).append('.');
    }
    if (!lines.isEmpty()) {
      prompt.append(" Uncovered lines: ").append(lines).append('.');
    }
    prompt.append(
        " Write tests that exercise this behaviour through the public API, following the"
            + " conventions of the existing tests; change no production code.");
    double confidence =
        Math.min(0.9, 0.55 + 0.3 * (1 - cov.ratio()) + Math.min(f.touches(), 10) * 0.01);
    List<Evidence> evidence = new ArrayList<>();
    evidence.add(
        Evidence.ofFile(
            "coverage", pct + "% of lines covered (" + cov.reportPath() + ")", f.path()));
    methods.forEach(m -> evidence.add(Evidence.ofFile("uncovered_method", m, f.path())));
    return new Candidate(
        NAME,
        CandidateKind.TESTS,
        List.of(f.path()),
        "Add tests for " + SourceFiles.fileName(f.path()) + " (" + pct + "% covered)",
        prompt.toString(),
        round(confidence),
        List.of(
            new Signal("coverage", pct + "% of lines", round(0.55 + 0.3 * (1 - cov.ratio()))),
            new Signal(
                "churn",
                f.touches() + " commits in the window",
                round(Math.min(f.touches(), 10) * 0.01))),
        evidence);
  }

  private Candidate untested(FileActivity f, List<String> words, boolean noCoverage) {
    String refs = words.isEmpty() ? "its name" : String.join(", ", words);
    String prompt =
        "Add tests for "
            + f.path()
            + ". It has no tests: no test file follows its naming convention, no test file"
            + " changed together with it in recent commits, and no test refers to "
            + refs
            + "."
            + " Write focused tests for its behaviour through its public API, following the"
            + " conventions of the existing tests; change no production code.";
    double confidence = Math.min(0.85, 0.5 + Math.min(f.touches(), 10) * 0.03);
    List<Evidence> evidence = new ArrayList<>();
    evidence.add(Evidence.ofFile("no_test_file", "no test file by naming convention", f.path()));
    evidence.add(Evidence.ofFile("co_change", "no test file changed with it", f.path()));
    evidence.add(Evidence.ofFile("reference", "no test refers to " + refs, f.path()));
    if (noCoverage) {
      evidence.add(Evidence.of("coverage", "no coverage report found"));
    }
    return new Candidate(
        NAME,
        CandidateKind.TESTS,
        List.of(f.path()),
        "Add tests for " + SourceFiles.fileName(f.path()),
        prompt,
        round(confidence),
        List.of(
            new Signal("untested", "no test evidence", 0.5),
            new Signal("churn", f.touches() + " commits in the window", round(confidence - 0.5))),
        evidence);
  }

  /** Lines as ranges, {@code 10-14, 20}, at most {@code max} ranges. */
  static String ranges(List<Integer> lines, int max) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < lines.size() && out.size() < max) {
      int start = lines.get(i);
      int end = start;
      while (i + 1 < lines.size() && lines.get(i + 1) == end + 1) {
        end = lines.get(++i);
      }
      out.add(start == end ? String.valueOf(start) : start + "-" + end);
      i++;
    }
    if (i < lines.size()) {
      out.add("…");
    }
    return String.join(", ", out);
  }

  static double round(double v) {
    return Math.round(v * 1000d) / 1000d;
  }
}
