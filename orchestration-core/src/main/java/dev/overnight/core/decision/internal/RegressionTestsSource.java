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
import dev.overnight.api.decision.Signal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Candidate source {@code regression_tests}: recent commits whose message says they fix a bug and
 * that changed no test file. The prompt cites the commit, its message and its patch, and asks for a
 * test that fails without the fix. At most the five most recent such commits; one {@code git show}
 * each. Stateless; thread-safe.
 */
public final class RegressionTestsSource implements CandidateSource, CandidateSourceProvider {
  /** The source's name. */
  public static final String NAME = "regression_tests";

  static final Pattern FIX =
      Pattern.compile(
          "(?i)\\b(fix(e[sd])?|bug(fix)?|regression|crash(es|ed)?|broken|hotfix|resolves?\\s+#\\d+"
              + "|closes?\\s+#\\d+|npe|exception)\\b");
  private static final Pattern NOT_A_FIX =
      Pattern.compile("(?i)\\b(typo|docs?|readme|changelog|lint|format(ting)?|ci|tests?)\\b");
  private static final int MAX = 5;
  private static final int DIFF_CHARS = 3000;

  /** Creates the source (also its own provider, for {@link java.util.ServiceLoader}). */
  public RegressionTestsSource() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CandidateSource create(ProviderContext context) {
    return new RegressionTestsSource();
  }

  @Override
  public List<Candidate> candidates(RepositorySnapshot repo) {
    Set<String> eligible =
        repo.hotFiles().stream().map(FileActivity::path).collect(Collectors.toSet());
    List<Candidate> out = new ArrayList<>();
    for (Commit c : repo.commits()) {
      if (out.size() >= MAX) {
        break;
      }
      if (!FIX.matcher(c.subject()).find() || NOT_A_FIX.matcher(c.subject()).find()) {
        continue;
      }
      if (c.changes().stream().anyMatch(ch -> repo.isTest(ch.path()))) {
        continue;
      }
      List<FileChange> fixed =
          c.changes().stream().filter(ch -> eligible.contains(ch.path())).toList();
      if (fixed.isEmpty()) {
        continue;
      }
      out.add(candidate(repo, c, fixed));
    }
    return out;
  }

  private Candidate candidate(RepositorySnapshot repo, Commit c, List<FileChange> fixed) {
    List<String> files = fixed.stream().map(FileChange::path).toList();
    String stat =
        fixed.stream()
            .map(f -> f.path() + " (+" + f.added() + " -" + f.deleted() + ")")
            .collect(Collectors.joining(", "));
    Optional<String> diff = repo.diff(c.id(), DIFF_CHARS);
    String date = c.time().atOffset(ZoneOffset.UTC).toLocalDate().toString();
    String prompt =
        "Commit "
            + c.shortId()
            + " ("
            + date
            + ") \""
            + c.subject()
            + "\" fixed a bug in "
            + String.join(", ", files)
            + " without adding or changing a test. Write a regression test that fails on the code"
            + " before this commit and passes after it, next to the existing tests of "
            + files.get(0)
            + "; change no production code."
            + diff.map(d -> "\n\nThe fix:\n" + d.strip()).orElse("");
    int size =
        fixed.stream().mapToInt(f -> Math.max(0, f.added()) + Math.max(0, f.deleted())).sum();
    // Small fixes are the easiest to pin down with a test; very large ones are rarely one bug.
    double confidence = size <= 40 ? 0.8 : size <= 200 ? 0.72 : 0.6;
    return new Candidate(
        NAME,
        CandidateKind.REGRESSION_TEST,
        files,
        "Regression test for " + c.shortId() + ": " + shorten(c.subject(), 60),
        prompt,
        confidence,
        List.of(
            new Signal("bug_fix", c.shortId() + " " + shorten(c.subject(), 80), 0.6),
            new Signal("fix_size", size + " lines changed, no test", round(confidence - 0.6))),
        List.of(
            new Evidence(
                "commit",
                c.shortId() + " " + date + " " + c.subject() + ": " + stat,
                Optional.of(files.get(0)),
                Optional.empty(),
                Optional.of(c.id()))));
  }

  static String shorten(String text, int max) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }

  static double round(double v) {
    return Math.round(v * 1000d) / 1000d;
  }
}
