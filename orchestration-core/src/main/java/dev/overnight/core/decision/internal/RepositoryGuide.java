package dev.overnight.core.decision.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a planning agent is told about the repository beyond the candidates: its HEAD, its recent
 * commits and its own guidance files (README, CONTRIBUTING, AGENTS.md, CLAUDE.md), each cut to a
 * bound so a huge README cannot crowd out the evidence. Read-only git and file reads; blocks on
 * them. Thread-safe.
 *
 * @param head the commit checked out, or {@code "unknown"} outside git
 * @param recentCommits the latest commits, one line each ({@code abc1234 subject})
 * @param guidance each guidance file found, its name and (bounded) text
 */
public record RepositoryGuide(String head, List<String> recentCommits, List<Guidance> guidance) {

  /** The guidance files read, in this order, the first spelling found of each. */
  public static final List<List<String>> GUIDANCE_FILES =
      List.of(
          List.of("README.md", "README", "README.rst", "README.txt"),
          List.of("CONTRIBUTING.md", "CONTRIBUTING", ".github/CONTRIBUTING.md"),
          List.of("AGENTS.md"),
          List.of("CLAUDE.md"));

  /** How much of one guidance file is sent. */
  public static final int MAX_GUIDANCE_CHARS = 8 * 1024;

  /** How many recent commits are listed. */
  public static final int RECENT_COMMITS = 20;

  /** Copies the components. */
  public RepositoryGuide {
    recentCommits = List.copyOf(recentCommits);
    guidance = List.copyOf(guidance);
  }

  /**
   * One guidance file.
   *
   * @param file its path in the repository
   * @param text its text, at most {@link #MAX_GUIDANCE_CHARS}
   * @param truncated whether it was cut
   */
  public record Guidance(String file, String text, boolean truncated) {}

  /** Reads {@code workspace}'s guide. */
  public static RepositoryGuide read(Path workspace) {
    GitReader git = new GitReader(workspace, Duration.ofSeconds(30));
    GitReader.Output head = git.git("rev-parse", "HEAD");
    String commit = head.ok() ? head.stdout().strip() : "unknown";
    List<String> commits = new ArrayList<>();
    GitReader.Output log =
        git.git("log", "-n", String.valueOf(RECENT_COMMITS), "--no-merges", "--format=%h %s");
    if (log.ok()) {
      log.stdout().lines().filter(l -> !l.isBlank()).forEach(commits::add);
    }
    List<Guidance> guidance = new ArrayList<>();
    for (List<String> spellings : GUIDANCE_FILES) {
      for (String name : spellings) {
        Optional<Guidance> g = guidance(workspace, name);
        if (g.isPresent()) {
          guidance.add(g.get());
          break;
        }
      }
    }
    return new RepositoryGuide(commit, commits, guidance);
  }

  private static Optional<Guidance> guidance(Path workspace, String name) {
    Path file = workspace.resolve(name);
    // A link could lead anywhere on the machine; only the repository's own files are sent.
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      byte[] bytes;
      try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        bytes = in.readNBytes(MAX_GUIDANCE_CHARS * 4 + 4);
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      boolean truncated = text.length() > MAX_GUIDANCE_CHARS || Files.size(file) > bytes.length;
      if (text.length() > MAX_GUIDANCE_CHARS) {
        text = text.substring(0, MAX_GUIDANCE_CHARS);
      }
      return Optional.of(new Guidance(name, text, truncated));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
