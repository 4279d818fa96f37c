package dev.overnight.core.pipeline.internal;

import dev.overnight.core.pipeline.ManifestSource;
import dev.overnight.core.pipeline.PipelineLoader;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.GitException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fetches manifests with the user's own git: one shallow fetch of the ref into a bare cache
 * repository per URL (under the catalog's folder), then the manifest's blob at the fetched commit.
 * Also renders a unified diff between two texts with {@code git diff --no-index}.
 *
 * <p>Thread-safe for distinct URLs; blocks on git (each call at most git's timeout).
 *
 * @since 0.1.0
 */
public final class GitManifests {
  private final Path cache;

  /** Fetching into bare repositories under {@code cache}. */
  public GitManifests(Path cache) {
    this.cache = cache;
  }

  /**
   * A fetched manifest.
   *
   * @param commit the commit the ref pointed to
   * @param text the manifest's text at that commit
   */
  public record Fetched(String commit, String text) {}

  /**
   * Fetches {@code source}'s ref (depth 1) and reads its manifest.
   *
   * @throws GitException if the repository, the ref or the path cannot be had, or the manifest is
   *     larger than {@link PipelineLoader#MAX_BYTES}
   */
  public Fetched fetch(ManifestSource source) {
    Path repo = cache.resolve(PipelineLoader.hash(source.url()).substring(0, 16));
    Git git = new Git(repo);
    try {
      if (!Files.isDirectory(repo.resolve("objects"))) {
        Files.createDirectories(repo);
        git.check("init", "--quiet", "--bare");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the git cache " + repo, e);
    }
    CommandResult fetched =
        git.run("fetch", "--quiet", "--depth", "1", "--no-tags", "--", source.url(), source.ref());
    if (!fetched.succeeded()) {
      throw new GitException(
          "cannot fetch "
              + source.ref()
              + " from "
              + source.url()
              + ": "
              + firstLine(fetched.stderr(), fetched.describe()));
    }
    String commit = git.check("rev-parse", "--verify", "FETCH_HEAD^{commit}");
    String object = commit + ":" + source.path();
    CommandResult type = git.run("cat-file", "-t", object);
    if (!type.succeeded() || !type.stdout().trim().equals("blob")) {
      throw new GitException(
          "no file "
              + source.path()
              + " at "
              + source.ref()
              + " ("
              + commit.substring(0, 12)
              + ")");
    }
    long size = Long.parseLong(git.check("cat-file", "-s", object));
    if (size > PipelineLoader.MAX_BYTES) {
      throw new GitException(
          source.path() + " is larger than " + PipelineLoader.MAX_BYTES + " bytes: not a manifest");
    }
    CommandResult blob = large(repo, "cat-file", "blob", object);
    if (!blob.succeeded()) {
      throw new GitException("cannot read " + object + ": " + blob.describe());
    }
    return new Fetched(commit, blob.stdout());
  }

  /**
   * The unified diff from {@code before} to {@code after}, files labelled {@code a/NAME} and {@code
   * b/NAME}; empty when they are equal.
   */
  public String diff(String name, String before, String after) {
    Path dir;
    try {
      Files.createDirectories(cache);
      dir = Files.createTempDirectory(cache, "diff-");
      Files.createDirectories(dir.resolve("a"));
      Files.createDirectories(dir.resolve("b"));
      Files.writeString(dir.resolve("a").resolve(name), before, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("b").resolve(name), after, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the texts to compare under " + cache, e);
    }
    try {
      CommandResult r =
          large(dir, "diff", "--no-index", "--no-color", "--no-prefix", "a/" + name, "b/" + name);
      // --no-index exits 1 when the files differ: that is the answer, not a failure.
      if (r.outcome() != CommandResult.Outcome.EXITED || r.exitCode() > 1) {
        throw new GitException("cannot compare manifests: " + r.describe());
      }
      return r.stdout();
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Git with room for a whole manifest (or two, in a diff) on standard output. */
  private static CommandResult large(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    return CommandRunner.system(4 * PipelineLoader.MAX_BYTES)
        .run(
            command, dir, Map.of("GIT_TERMINAL_PROMPT", "0", "LC_ALL", "C"), Duration.ofMinutes(1));
  }

  private static String firstLine(String stderr, String otherwise) {
    return stderr
        .lines()
        .map(String::strip)
        .filter(l -> l.startsWith("fatal:") || l.startsWith("error:"))
        .findFirst()
        .orElse(otherwise);
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary folder in the cache is harmless.
    }
  }
}
