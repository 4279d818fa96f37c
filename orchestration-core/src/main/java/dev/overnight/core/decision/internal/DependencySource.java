package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.Candidate;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.CandidateSourceProvider;
import dev.overnight.api.decision.Evidence;
import dev.overnight.api.decision.PipelineProposal;
import dev.overnight.api.decision.RepositorySnapshot;
import dev.overnight.api.decision.Signal;
import dev.overnight.core.decision.internal.BuildFiles.Declared;
import dev.overnight.core.decision.internal.BuildFiles.Ecosystem;
import dev.overnight.core.decision.internal.Versions.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Candidate source {@code dependencies}: a dependency a build file pins below a newer release this
 * machine or the repository itself knows of becomes a proposal to run the built-in {@code
 * upgrade-dependency} pipeline (bump, build and test, let an agent fix what broke, open a PR).
 *
 * <p>Known versions come from what is already here, never from the network: the releases of the
 * artifact in the local Maven repository ({@code ~/.m2/repository}, downloaded by other builds on
 * this machine) and the versions other build files of the same repository pin (a monorepo's modules
 * drifting apart). A pre-release is never proposed, an upgrade stays in its flavour ({@code -jre}),
 * and a jump to a new major version is proposed with less confidence than one within the same major
 * line. At most {@value #MAX_CANDIDATES} candidates, most confident first. Reads the snapshot and
 * the local repository's folder listing only; thread-safe.
 */
public final class DependencySource implements CandidateSource, CandidateSourceProvider {
  /** The source's name. */
  public static final String NAME = "dependencies";

  /** The pipeline proposed. */
  public static final String PIPELINE = "upgrade-dependency";

  static final int MAX_CANDIDATES = 20;
  static final double SAME_MAJOR_CONFIDENCE = 0.6;
  static final double NEW_MAJOR_CONFIDENCE = 0.45;
  private static final int MAX_BUILD_FILES = 200;

  private final Optional<Path> mavenRepository;

  /** Creates the provider (for {@link java.util.ServiceLoader}); it reads no local repository. */
  public DependencySource() {
    this(Optional.empty());
  }

  /** A source that reads released versions from the Maven repository at {@code repository}. */
  public DependencySource(Optional<Path> mavenRepository) {
    this.mavenRepository = mavenRepository;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CandidateSource create(ProviderContext context) {
    return new DependencySource(
        Optional.of(context.homeDirectory().resolve(".m2").resolve("repository")));
  }

  @Override
  public List<Candidate> candidates(RepositorySnapshot repo) {
    List<Declared> declared = declared(repo);
    Map<String, Set<String>> inRepository = new LinkedHashMap<>();
    for (Declared d : declared) {
      inRepository.computeIfAbsent(key(d), k -> new TreeSet<>()).add(d.version());
    }
    Map<String, Candidate> byKey = new LinkedHashMap<>();
    for (Declared d : declared) {
      Set<String> known = new TreeSet<>(inRepository.get(key(d)));
      List<String> local = localReleases(d);
      known.addAll(local);
      Optional<Version> newer = Versions.newerRelease(d.version(), known);
      if (newer.isEmpty()) {
        continue;
      }
      String where =
          local.contains(newer.get().text())
              ? "the local Maven repository"
              : "another build file of this repository";
      Candidate c = candidate(d, newer.get(), where);
      // One proposal per dependency and file: a property used twice is one bump.
      byKey.putIfAbsent(d.file() + "|" + d.name(), c);
    }
    return byKey.values().stream()
        .sorted(
            Comparator.comparingDouble(Candidate::confidence)
                .reversed()
                .thenComparing(Candidate::title))
        .limit(MAX_CANDIDATES)
        .toList();
  }

  private static List<Declared> declared(RepositorySnapshot repo) {
    List<Declared> out = new ArrayList<>();
    repo.files().stream()
        .filter(BuildFiles::isBuildFile)
        .filter(f -> repo.exclusion(f).filter(DependencySource::keepsOut).isEmpty())
        .limit(MAX_BUILD_FILES)
        .forEach(f -> repo.read(f).ifPresent(text -> out.addAll(BuildFiles.read(f, text))));
    return out;
  }

  /**
   * Whether an exclusion keeps a build file out of dependency upgrades too. Most exclusions say a
   * file is not code worth an agent's turn (a build script, not program source, tiny) — exactly
   * what a build file is — so only those that say the file is not the repository's own to change
   * (vendored, generated, an example, documentation, the user's own exclusions) count here.
   */
  public static boolean keepsOut(String exclusionReason) {
    return IGNORED_EXCLUSIONS.stream().noneMatch(exclusionReason::startsWith);
  }

  private static final List<String> IGNORED_EXCLUSIONS =
      List.of("build or setup script", "not source code", "not program source", "tiny");

  private static String key(Declared d) {
    return d.ecosystem() + ":" + d.name();
  }

  /** The releases of a Maven artifact the local repository holds (a folder with its POM). */
  private List<String> localReleases(Declared d) {
    if (d.ecosystem() != Ecosystem.MAVEN || mavenRepository.isEmpty()) {
      return List.of();
    }
    String[] ga = d.name().split(":", 2);
    Path dir = mavenRepository.get().resolve(ga[0].replace('.', '/')).resolve(ga[1]);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> versions = Files.list(dir)) {
      return versions
          .filter(Files::isDirectory)
          .filter(v -> Files.isRegularFile(v.resolve(ga[1] + "-" + v.getFileName() + ".pom")))
          .map(v -> v.getFileName().toString())
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Candidate candidate(Declared d, Version newer, String where) {
    Version current = Versions.parse(d.version()).orElseThrow();
    boolean sameMajor = current.major() == newer.major();
    double confidence = sameMajor ? SAME_MAJOR_CONFIDENCE : NEW_MAJOR_CONFIDENCE;
    String pinned = d.property().map(p -> " (property " + p + ")").orElse("");
    String prompt =
        "Upgrade "
            + d.name()
            + " from "
            + d.version()
            + " to "
            + newer.text()
            + " in "
            + d.file()
            + pinned
            + ", then build and run the tests and fix the code (not the version) where the upgrade"
            + " breaks it.";
    return new Candidate(
        NAME,
        CandidateKind.DEPENDENCY_UPGRADE,
        List.of(d.file()),
        "Upgrade " + d.name() + " " + d.version() + " → " + newer.text(),
        prompt,
        confidence,
        List.of(
            new Signal(
                sameMajor ? "newer_release" : "newer_major",
                d.version() + " → " + newer.text() + " (" + where + ")",
                confidence)),
        List.of(
            Evidence.ofFile("pinned", d.name() + " " + d.version() + pinned, d.file()),
            Evidence.of("known_release", newer.text() + " in " + where)),
        Optional.of(
            new PipelineProposal(
                PIPELINE, Map.of("dependency", d.name(), "version", newer.text()))));
  }
}
