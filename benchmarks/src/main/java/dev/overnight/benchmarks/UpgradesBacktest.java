package dev.overnight.benchmarks;

import dev.overnight.api.Availability;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.PipelineProposal;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.decision.internal.BuildFiles;
import dev.overnight.core.decision.internal.DependencySource;
import dev.overnight.core.decision.internal.GitReader;
import dev.overnight.core.decision.internal.Versions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dependency upgrades the decision engine proposes at a cut, judged by what the maintainers did
 * next: a proposal matches when the build file it names pins a higher version of the same
 * dependency at the end of the hit window ({@value DecisionsBenchmark#WINDOW_DAYS} days), and
 * matches later when it does so at the repository's last commit. Known versions are this machine's
 * local Maven repository and the repository's own build files, as {@link DependencySource} reads
 * them (the local repository holds releases newer than the cut: the proposal is what Overnight
 * would propose on this machine for the code as it was then).
 */
final class UpgradesBacktest {
  private UpgradesBacktest() {}

  /** The figures over every cut. */
  static final class Tally {
    int proposed;
    int matchedInWindow;
    int matchedLater;
    int reachedProposed;

    void add(Tally t) {
      proposed += t.proposed;
      matchedInWindow += t.matchedInWindow;
      matchedLater += t.matchedLater;
      reachedProposed += t.reachedProposed;
    }

    double matchRate() {
      return proposed == 0 ? 0 : round((double) matchedInWindow / proposed);
    }

    double laterRate() {
      return proposed == 0 ? 0 : round((double) matchedLater / proposed);
    }

    Map<String, Object> figures() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("proposed", proposed);
      m.put("matched_in_window", matchedInWindow);
      m.put("matched_by_last_commit", matchedLater);
      m.put("reached_proposed_version_by_last_commit", reachedProposed);
      m.put("match_rate", matchRate());
      m.put("match_rate_by_last_commit", laterRate());
      return m;
    }
  }

  /**
   * Judges the upgrades proposed at {@code cut} (the clone checked out at commit {@code at})
   * against the commit {@code windowEnd} and {@code head}.
   */
  static List<String> judge(
      OrchestrationConfig cfg,
      Instant cut,
      GitReader git,
      String at,
      String windowEnd,
      String head,
      Tally tally) {
    DependencySource source =
        new DependencySource(
            Optional.of(Path.of(System.getProperty("user.home"), ".m2", "repository")));
    List<Candidate> upgrades =
        DecisionInputs.builder(cfg, InstantSource.fixed(cut))
            .candidateSources(List.of(source))
            .agents(Map.of("claude-code", Availability.available("benchmark")))
            .asOf(cut)
            .build()
            .gather()
            .context()
            .candidates()
            .stream()
            .filter(c -> c.kind() == CandidateKind.DEPENDENCY_UPGRADE)
            .toList();
    List<String> lines = new ArrayList<>();
    for (Candidate c : upgrades) {
      PipelineProposal p = c.pipeline().orElseThrow();
      String file = c.files().get(0);
      String dependency = p.inputs().get("dependency");
      String proposed = p.inputs().get("version");
      Optional<String> before = versionAt(git, at, file, dependency);
      Optional<String> inWindow = versionAt(git, windowEnd, file, dependency);
      Optional<String> later = versionAt(git, head, file, dependency);
      tally.proposed++;
      boolean window = raised(before, inWindow);
      boolean byHead = raised(before, later);
      if (window) {
        tally.matchedInWindow++;
      }
      if (byHead) {
        tally.matchedLater++;
      }
      if (later.isPresent()
          && Versions.parse(later.get())
              .flatMap(l -> Versions.parse(proposed).map(v -> l.compareTo(v) >= 0))
              .orElse(false)) {
        tally.reachedProposed++;
      }
      lines.add(
          (window ? "MATCH " : byHead ? "later " : "miss  ")
              + dependency
              + " "
              + before.orElse("?")
              + " → "
              + proposed
              + " (maintainers: "
              + inWindow.orElse("gone")
              + " after "
              + DecisionsBenchmark.WINDOW_DAYS
              + " days, "
              + later.orElse("gone")
              + " now) in "
              + file);
    }
    return lines;
  }

  private static boolean raised(Optional<String> before, Optional<String> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return false;
    }
    Optional<Versions.Version> b = Versions.parse(before.get());
    Optional<Versions.Version> a = Versions.parse(after.get());
    return b.isPresent() && a.isPresent() && a.get().compareTo(b.get()) > 0;
  }

  private static Optional<String> versionAt(
      GitReader git, String revision, String file, String dependency) {
    GitReader.Output r = git.git("show", revision + ":" + file);
    if (r.problem().isPresent()) {
      return Optional.empty();
    }
    return BuildFiles.read(file, r.stdout()).stream()
        .filter(d -> d.name().equals(dependency))
        .map(BuildFiles.Declared::version)
        .findFirst();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
