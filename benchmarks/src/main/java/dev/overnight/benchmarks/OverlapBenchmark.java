package dev.overnight.benchmarks;

import dev.overnight.core.conflict.CoChangeHistory;
import dev.overnight.core.conflict.OverlapPredictor;
import dev.overnight.core.worktree.Git;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code benchmarks/run overlap REPO...}: how well conflict-aware planning's overlap prediction
 * ({@link OverlapPredictor}) matches what really changed together, over a replay of each
 * repository's history (a local clone or bare git directory; no network).
 *
 * <p>The last {@value #REPLAY} non-merge commits ({@value #QUICK_REPLAY} with {@code --quick}) are
 * replayed in order, as if each were a task of a night. Every {@value #SNAPSHOT} commits the
 * predictor is rebuilt from the {@value #HISTORY} commits before (as {@code
 * conflicts.history_commits} reads them). Each commit stands for a task whose target file is the
 * file it changed that the history changed most (what a decision engine names: a hot file). Each
 * pair of commits at most {@value #NIGHT} apart (tasks of the same night) is then judged:
 *
 * <ul>
 *   <li><b>really overlapping</b> when the two commits changed a file in common (merging one after
 *       the other could conflict);
 *   <li><b>predicted</b> when the predicted files of the two targets meet;
 *   <li>the <b>baseline</b> predicts an overlap only when both targets are the same file (target
 *       files alone, {@code history_commits: 0}).
 * </ul>
 *
 * Commits that changed more than {@link CoChangeHistory#MAX_FILES_PER_COMMIT} files (mass changes)
 * are left out. Prints precision and recall per repository and over all, ends with {@code overlap:
 * precision=… recall=… baseline_precision=… baseline_recall=… recall_vs_baseline=… pairs=…} and
 * writes {@code benchmarks/results/overlap.json}.
 */
final class OverlapBenchmark {
  static final int HISTORY = 500;
  static final int REPLAY = 1000;
  static final int QUICK_REPLAY = 300;
  static final int SNAPSHOT = 100;
  static final int NIGHT = 5;

  private OverlapBenchmark() {}

  /** Runs over {@code args}: repository paths, and {@code --quick}. */
  static void run(List<String> args) throws Exception {
    boolean quick = args.contains("--quick");
    List<String> repos = args.stream().filter(a -> !a.startsWith("--")).toList();
    if (repos.isEmpty()) {
      System.err.println("usage: benchmarks/run overlap REPO... [--quick]");
      System.exit(2);
    }
    int replay = quick ? QUICK_REPLAY : REPLAY;
    Counts total = new Counts();
    List<Map<String, Object>> perRepo = new ArrayList<>();
    for (String repo : repos) {
      Git git = new Git(Path.of(repo));
      String head = git.check("rev-parse", "HEAD");
      List<List<String>> commits =
          new ArrayList<>(CoChangeHistory.commitFiles(git, "HEAD", HISTORY + replay * 2));
      Collections.reverse(commits); // oldest first
      commits.removeIf(c -> c.isEmpty() || c.size() > CoChangeHistory.MAX_FILES_PER_COMMIT);
      int start = Math.max(HISTORY, commits.size() - replay);
      Counts counts = replay(commits, start);
      total.add(counts);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("repository", repo);
      r.put("head", head);
      r.put("replayed_commits", commits.size() - start);
      r.putAll(counts.figures());
      perRepo.add(r);
      System.out.printf(
          "%s @ %s: %d commits replayed, %s%n",
          repo, head.substring(0, 12), commits.size() - start, counts.line());
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("precision", total.precision(total.truePositives, total.predicted));
    summary.put("recall", total.precision(total.truePositives, total.real));
    summary.put("baseline_precision", total.precision(total.baselineHits, total.baselinePredicted));
    summary.put("baseline_recall", total.precision(total.baselineHits, total.real));
    summary.put(
        "recall_vs_baseline",
        total.baselineHits == 0 ? 0.0 : (double) total.truePositives / (double) total.baselineHits);
    summary.put("precision_code", total.precision(total.truePositivesCode, total.predicted));
    summary.put("recall_code", total.precision(total.truePositivesCode, total.realCode));
    summary.put("pairs", total.pairs);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(
        "settings",
        Map.of(
            "history_commits", HISTORY,
            "replayed", replay,
            "snapshot_every", SNAPSHOT,
            "night", NIGHT,
            "min_together", OverlapPredictor.MIN_TOGETHER,
            "min_share", OverlapPredictor.MIN_SHARE));
    details.put("repositories", perRepo);
    Results.publish("overlap", summary, details);
  }

  /** Replays {@code commits[start..]} (oldest first) with history snapshots before each block. */
  static Counts replay(List<List<String>> commits, int start) {
    Counts c = new Counts();
    OverlapPredictor predictor = null;
    CoChangeHistory history = null;
    Map<String, Set<String>> predicted = new HashMap<>();
    for (int i = start; i < commits.size(); i++) {
      if ((i - start) % SNAPSHOT == 0) {
        history = CoChangeHistory.of(commits.subList(Math.max(0, i - HISTORY), i));
        predictor = OverlapPredictor.of(history);
        predicted.clear();
      }
      OverlapPredictor now = predictor;
      String a = target(commits.get(i), history);
      Set<String> predictedA =
          predicted.computeIfAbsent(a, t -> new HashSet<>(now.predict(List.of(t))));
      for (int d = 1; d <= NIGHT && i + d < commits.size(); d++) {
        List<String> other = commits.get(i + d);
        String b = target(other, history);
        Set<String> predictedB =
            predicted.computeIfAbsent(b, t -> new HashSet<>(now.predict(List.of(t))));
        boolean real = !Collections.disjoint(commits.get(i), other);
        boolean realCode = shareCode(commits.get(i), other);
        boolean guess = !Collections.disjoint(predictedA, predictedB);
        boolean baseline = a.equals(b);
        c.pairs++;
        c.real += real ? 1 : 0;
        c.predicted += guess ? 1 : 0;
        c.truePositives += real && guess ? 1 : 0;
        c.realCode += realCode ? 1 : 0;
        c.truePositivesCode += realCode && guess ? 1 : 0;
        c.baselinePredicted += baseline ? 1 : 0;
        c.baselineHits += real && baseline ? 1 : 0;
      }
    }
    return c;
  }

  /**
   * The file of a commit the history changed most, documents last: the task's target, as an engine
   * would name it (never a changelog when the commit changed code).
   */
  static String target(List<String> files, CoChangeHistory history) {
    List<String> code = files.stream().filter(f -> !isDocument(f)).toList();
    return (code.isEmpty() ? files : code)
        .stream()
            .max(
                Comparator.comparingInt((String f) -> history.changes(f))
                    .thenComparing(Comparator.<String>reverseOrder()))
            .orElseThrow();
  }

  /** Prose files: release notes, read-me files, docs. */
  static boolean isDocument(String file) {
    String name = file.substring(file.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".md")
        || name.endsWith(".txt")
        || name.endsWith(".rst")
        || name.endsWith(".adoc")
        || name.startsWith("history")
        || name.startsWith("changes");
  }

  /** Whether two commits changed a file in common, documents left out. */
  static boolean shareCode(List<String> a, List<String> b) {
    return a.stream().filter(f -> !isDocument(f)).anyMatch(b::contains);
  }

  /** Pair counts. */
  static final class Counts {
    long pairs;
    long real;
    long predicted;
    long truePositives;
    long baselinePredicted;
    long baselineHits;
    long realCode;
    long truePositivesCode;

    void add(Counts o) {
      realCode += o.realCode;
      truePositivesCode += o.truePositivesCode;
      pairs += o.pairs;
      real += o.real;
      predicted += o.predicted;
      truePositives += o.truePositives;
      baselinePredicted += o.baselinePredicted;
      baselineHits += o.baselineHits;
    }

    double precision(long hits, long of) {
      return of == 0 ? 0.0 : (double) hits / (double) of;
    }

    Map<String, Object> figures() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pairs", pairs);
      m.put("really_overlapping", real);
      m.put("predicted", predicted);
      m.put("predicted_and_real", truePositives);
      m.put("precision", precision(truePositives, predicted));
      m.put("recall", precision(truePositives, real));
      m.put("baseline_predicted", baselinePredicted);
      m.put("baseline_and_real", baselineHits);
      m.put("baseline_precision", precision(baselineHits, baselinePredicted));
      m.put("baseline_recall", precision(baselineHits, real));
      m.put("really_overlapping_in_code", realCode);
      m.put("precision_code", precision(truePositivesCode, predicted));
      m.put("recall_code", precision(truePositivesCode, realCode));
      return m;
    }

    String line() {
      return String.format(
          java.util.Locale.ROOT,
          "%d pairs, %d really overlapping; predicted %d: precision %.2f recall %.2f"
              + " (target files alone: precision %.2f recall %.2f); code files only: %d really"
              + " overlapping, precision %.2f recall %.2f",
          pairs,
          real,
          predicted,
          precision(truePositives, predicted),
          precision(truePositives, real),
          precision(baselineHits, baselinePredicted),
          precision(baselineHits, real),
          realCode,
          precision(truePositivesCode, predicted),
          precision(truePositivesCode, realCode));
    }
  }
}
