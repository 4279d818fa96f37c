package dev.overnight.cli.e2e;

import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A real git repository on disk: the user's checkout a night works on. */
final class Repo {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  final Path dir;

  private Repo(Path dir) {
    this.dir = dir;
  }

  /** A new repository on branch {@code main}, with a committer identity of its own. */
  static Repo init(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Repo repo = new Repo(dir);
    repo.git("init", "-q", "-b", "main");
    repo.git("config", "user.name", "Dev");
    repo.git("config", "user.email", "dev@example.com");
    repo.git("config", "commit.gpgsign", "false");
    return repo;
  }

  /** Writes {@code files} (path → content) and commits them, dated {@code at}. */
  Repo commit(Instant at, String message, Map<String, String> files) {
    files.forEach(this::write);
    git("add", "-A");
    String date = at.getEpochSecond() + " +0000";
    run(Map.of("GIT_AUTHOR_DATE", date, "GIT_COMMITTER_DATE", date), "commit", "-q", "-m", message);
    return this;
  }

  /** Writes a file of the checkout (creating folders), without committing it. */
  void write(String path, String content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs git in the checkout and returns its output, trimmed; fails the test if git fails. */
  String git(String... args) {
    return run(Map.of(), args).trim();
  }

  /** Runs git in {@code dir} (another repository or worktree). */
  static String git(Path dir, String... args) {
    return new Repo(dir).git(args);
  }

  private String run(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(Arrays.asList(args));
    CommandResult r = CommandRunner.system().run(command, dir, env, TIMEOUT);
    if (!r.succeeded()) {
      throw new AssertionError(
          "git " + String.join(" ", args) + " failed in " + dir + ": " + r.describe());
    }
    return r.stdout();
  }

  /** Local branches whose names start with {@code prefix}. */
  List<String> branches(String prefix) {
    String out = git("for-each-ref", "--format=%(refname:short)", "refs/heads/" + prefix);
    return out.isEmpty() ? List.of() : out.lines().toList();
  }

  /** Subjects of the commits on {@code branch} that {@code base} does not have, newest first. */
  List<String> subjects(String base, String branch) {
    String out = git("log", "--format=%s", base + ".." + branch);
    return out.isEmpty() ? List.of() : out.lines().toList();
  }

  /** Folders git knows as worktrees of this repository, the checkout itself first. */
  List<Path> worktrees() {
    return git("worktree", "list", "--porcelain")
        .lines()
        .filter(l -> l.startsWith("worktree "))
        .map(l -> Path.of(l.substring("worktree ".length())))
        .toList();
  }

  /**
   * Everything a user sees of the checkout: the SHA-256 of every file outside {@code .git}, what
   * {@code git status --porcelain} says and where HEAD points.
   */
  Snapshot snapshot() {
    Map<String, String> hashes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path rel = dir.relativize(f);
        if (!rel.getName(0).toString().equals(".git")) {
          hashes.put(rel.toString(), sha256(Files.readAllBytes(f)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Snapshot(
        hashes,
        run(Map.of(), "status", "--porcelain", "--untracked-files=all").stripTrailing(),
        git("rev-parse", "HEAD"),
        git("symbolic-ref", "HEAD"));
  }

  /** What {@link #snapshot()} saw. */
  record Snapshot(Map<String, String> files, String status, String head, String headRef) {}

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
