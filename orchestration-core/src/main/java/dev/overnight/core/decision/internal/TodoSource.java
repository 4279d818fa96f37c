package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.CandidateSourceProvider;
import dev.overnight.api.decision.Evidence;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.api.decision.RepositorySnapshot;
import dev.overnight.api.decision.RepositorySnapshot.GrepHit;
import dev.overnight.api.decision.Signal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Candidate source {@code todo}: TODO, FIXME and XXX comments in hot files that were written within
 * the activity window ({@code git blame}, bounded to the window so old lines cost nothing). The
 * prompt quotes the line. One {@code git grep}, then at most {@value #MAX_BLAMES} blames.
 * Stateless; thread-safe.
 */
public final class TodoSource implements CandidateSource, CandidateSourceProvider {
  /** The source's name. */
  public static final String NAME = "todo";

  static final int MAX_BLAMES = 20;
  private static final int MAX_FILES = 100;
  private static final Pattern COMMENT =
      Pattern.compile("(//|#|/\\*|\\*|<!--|--|;)\\s*.*\\b(TODO|FIXME|XXX)\\b");

  /** Creates the source (also its own provider, for {@link java.util.ServiceLoader}). */
  public TodoSource() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CandidateSource create(ProviderContext context) {
    return new TodoSource();
  }

  @Override
  public List<Candidate> candidates(RepositorySnapshot repo) {
    List<FileActivity> hot = repo.hotFiles().stream().limit(MAX_FILES).toList();
    if (hot.isEmpty()) {
      return List.of();
    }
    Map<String, FileActivity> byPath =
        hot.stream().collect(Collectors.toMap(FileActivity::path, Function.identity()));
    List<GrepHit> hits =
        repo
            .grep(List.of("TODO", "FIXME", "XXX"), hot.stream().map(FileActivity::path).toList())
            .stream()
            .filter(h -> byPath.containsKey(h.path()) && COMMENT.matcher(h.text()).find())
            .sorted(
                (a, b) ->
                    Integer.compare(byPath.get(b.path()).touches(), byPath.get(a.path()).touches()))
            .limit(MAX_BLAMES)
            .toList();
    List<Candidate> out = new ArrayList<>();
    for (GrepHit h : hits) {
      Optional<Instant> when = repo.lineChangedAt(h.path(), h.line());
      if (when.isEmpty()) {
        continue; // older than the window: not fresh
      }
      out.add(candidate(h, when.get(), byPath.get(h.path())));
    }
    return out;
  }

  private Candidate candidate(GrepHit h, Instant when, FileActivity f) {
    String date = when.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    String text = RegressionTestsSource.shorten(h.text(), 200);
    String prompt =
        "Resolve the comment at "
            + h.path()
            + ":"
            + h.line()
            + ", written on "
            + date
            + ": \""
            + text
            + "\". Do what it asks in "
            + h.path()
            + " (or, if it cannot be done safely, explain why in the comment), keep the behaviour"
            + " the existing tests check, add a test for the change, and remove the comment.";
    double confidence = Math.min(0.75, 0.55 + Math.min(f.touches(), 10) * 0.02);
    return new Candidate(
        NAME,
        CandidateKind.TODO,
        List.of(h.path()),
        "Resolve " + kind(h.text()) + " in " + SourceFiles.fileName(h.path()) + ":" + h.line(),
        prompt,
        RegressionTestsSource.round(confidence),
        List.of(
            new Signal("fresh_todo", h.path() + ":" + h.line() + " from " + date, 0.55),
            new Signal(
                "churn",
                f.touches() + " commits in the window",
                RegressionTestsSource.round(confidence - 0.55))),
        List.of(
            new Evidence(
                "todo",
                date + ": " + text,
                Optional.of(h.path()),
                Optional.of(h.line()),
                Optional.empty())));
  }

  private static String kind(String text) {
    for (String k : List.of("FIXME", "TODO", "XXX")) {
      if (text.contains(k)) {
        return k;
      }
    }
    return "TODO";
  }
}
