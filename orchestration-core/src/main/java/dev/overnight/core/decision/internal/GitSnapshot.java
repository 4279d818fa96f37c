package dev.overnight.core.decision.internal;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.Exclusion;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.api.decision.RepositorySnapshot;
import dev.overnight.core.process.CommandResult;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RepositorySnapshot} read with git: the last commit at the as-of instant, the commits of
 * its activity window in one {@code git log --numstat} pass (the lookback, or the most recent
 * {@code decision.recent_commits} when the lookback holds none), its file list in one {@code git
 * ls-tree}, and file text, {@code git grep}, {@code git blame} and patches on demand, cached.
 *
 * <p>When the revision is the checkout's {@code HEAD}, file text comes from the working tree;
 * otherwise from the revision itself. Thread-safe; every method may block on git.
 */
public final class GitSnapshot implements RepositorySnapshot {
  /** Files bigger than this are not read: generated data, not code to work on. */
  private static final long MAX_READ_BYTES = 1024 * 1024;

  /** How many of the most changed files are read to judge exclusions and sizes. */
  private static final int MAX_JUDGED = 150;

  private final OrchestrationConfig config;
  private final GitReader git;
  private final Instant asOf;
  private final Optional<String> revision;
  private final boolean worktreeReads;
  private final Instant windowStart;
  private final List<Commit> commits;
  private final Optional<String> windowNote;
  private final List<String> files;
  private final Set<String> fileSet;
  private final Exclusions exclusions;
  private final List<FileActivity> hot;
  private final List<Exclusion> excluded;
  private final List<String> problems;
  private final Map<String, Optional<String>> texts = new ConcurrentHashMap<>();

  private GitSnapshot(Builder b) {
    this.config = b.config;
    this.git = b.git;
    this.asOf = b.asOf;
    this.revision = b.revision;
    this.worktreeReads = b.worktreeReads;
    this.windowStart = b.windowStart;
    this.commits = List.copyOf(b.commits);
    this.windowNote = b.windowNote;
    this.files = List.copyOf(b.files);
    this.fileSet = new HashSet<>(b.files);
    this.problems = List.copyOf(b.problems);
    this.exclusions = Exclusions.of(revision.isEmpty() ? Optional.empty() : read(".gitattributes"));
    List<FileActivity> hotList = new ArrayList<>();
    List<Exclusion> excludedList = new ArrayList<>();
    judge(hotList, excludedList);
    this.hot = List.copyOf(hotList);
    this.excluded = List.copyOf(excludedList);
  }

  /**
   * Reads the repository of {@code workspace} as it was at {@code asOf}.
   *
   * @param historical whether {@code asOf} is in the past ({@code plan --as-of}): then the last
   *     commit before it is shown, else {@code HEAD}
   * @param timeout bound on each git command
   */
  public static GitSnapshot open(
      OrchestrationConfig config,
      Path workspace,
      Instant asOf,
      boolean historical,
      Duration timeout) {
    Builder b = new Builder(config, new GitReader(workspace, timeout), asOf);
    GitReader.Output head = b.git.git("rev-parse", "--verify", "-q", "HEAD");
    if (!head.ok() || head.stdout().isBlank()) {
      b.problems.add(
          head.problem().filter(p -> !p.contains("exit code 1")).orElse("no commits yet"));
      return new GitSnapshot(b);
    }
    String headId = head.stdout().strip();
    String rev = headId;
    if (historical) {
      GitReader.Output at =
          b.git.git("rev-list", "-1", "--before=" + asOf.truncatedTo(ChronoUnit.SECONDS), "HEAD");
      if (!at.ok() || at.stdout().isBlank()) {
        b.problems.add("no commit before " + asOf);
        return new GitSnapshot(b);
      }
      rev = at.stdout().strip();
    }
    b.revision = Optional.of(rev);
    b.worktreeReads = rev.equals(headId);
    int lookback = config.decision().lookbackDays();
    b.windowStart = asOf.minus(Duration.ofDays(lookback));
    CommitLog.Result log = CommitLog.read(b.git, rev, Optional.of(b.windowStart), Optional.empty());
    log.problem().ifPresent(b.problems::add);
    List<Commit> commits = log.commits();
    if (commits.isEmpty() && log.problem().isEmpty()) {
      int recent = config.decision().recentCommits();
      CommitLog.Result older = CommitLog.read(b.git, rev, Optional.empty(), Optional.of(recent));
      older.problem().ifPresent(b.problems::add);
      commits = older.commits();
      if (!commits.isEmpty()) {
        Instant last = commits.get(0).time();
        long days = Math.max(0, Duration.between(last, asOf).toDays());
        b.windowStart = commits.get(commits.size() - 1).time();
        b.windowNote =
            Optional.of(
                "no commit in the last "
                    + lookback
                    + " days (last commit "
                    + days
                    + (days == 1 ? " day" : " days")
                    + " ago): judging by the "
                    + commits.size()
                    + " most recent commits");
      }
    }
    b.commits = commits;
    GitReader.Output tree = b.git.git("ls-tree", "-r", "--name-only", "-z", rev);
    if (tree.ok()) {
      for (String f : tree.stdout().split("\0")) {
        if (!f.isBlank()) {
          b.files.add(f.startsWith("\n") ? f.substring(1) : f);
        }
      }
    } else {
      tree.problem().ifPresent(b.problems::add);
    }
    return new GitSnapshot(b);
  }

  private void judge(List<FileActivity> hotList, List<Exclusion> excludedList) {
    FocusMatcher focus = FocusMatcher.of(config.focus());
    Map<String, Integer> touches = new HashMap<>();
    for (Commit c : commits) {
      for (FileChange f : c.changes()) {
        if (fileSet.contains(f.path())) {
          touches.merge(f.path(), 1, Integer::sum);
        }
      }
    }
    List<Map.Entry<String, Integer>> order = new ArrayList<>(touches.entrySet());
    order.sort(
        Map.Entry.<String, Integer>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    int judged = 0;
    for (Map.Entry<String, Integer> e : order) {
      String path = e.getKey();
      if (!focus.inFocus(path)) {
        continue;
      }
      Optional<String> why = exclusions.byPath(path);
      if (why.isEmpty()) {
        if (judged++ >= MAX_JUDGED) {
          continue;
        }
        Optional<String> text = read(path);
        why =
            text.isEmpty()
                ? Optional.of("unreadable or too large")
                : exclusions.of(path, text.get());
      }
      if (why.isPresent()) {
        excludedList.add(new Exclusion(path, why.get()));
      } else {
        hotList.add(new FileActivity(path, e.getValue()));
      }
    }
  }

  /** Problems met while reading (no commits, git failures), for explanations. */
  public List<String> problems() {
    return problems;
  }

  /** The changed files excluded from proposals, most changed first, with their reasons. */
  public List<Exclusion> exclusions() {
    return excluded;
  }

  /** The start of the activity window. */
  public Instant windowStart() {
    return windowStart;
  }

  @Override
  public Path workspace() {
    return git.workspace();
  }

  @Override
  public OrchestrationConfig config() {
    return config;
  }

  @Override
  public Instant asOf() {
    return asOf;
  }

  @Override
  public Optional<String> revision() {
    return revision;
  }

  @Override
  public List<Commit> commits() {
    return commits;
  }

  @Override
  public Optional<String> windowNote() {
    return windowNote;
  }

  @Override
  public List<FileActivity> hotFiles() {
    return hot;
  }

  @Override
  public Optional<String> exclusion(String path) {
    for (Exclusion e : excluded) {
      if (e.path().equals(path)) {
        return Optional.of(e.reason());
      }
    }
    Optional<String> byPath = exclusions.byPath(path);
    if (byPath.isPresent()) {
      return byPath;
    }
    return read(path).flatMap(t -> exclusions.of(path, t));
  }

  @Override
  public boolean isTest(String path) {
    return SourceFiles.isTest(path);
  }

  @Override
  public List<String> files() {
    return files;
  }

  @Override
  public Optional<String> read(String path) {
    return texts.computeIfAbsent(path, this::load);
  }

  private Optional<String> load(String path) {
    if (revision.isEmpty() || !fileSet.contains(path) && !path.equals(".gitattributes")) {
      return Optional.empty();
    }
    if (worktreeReads) {
      try {
        Path ws = git.workspace();
        Path p = ws.resolve(path).normalize();
        if (!p.startsWith(ws) || !Files.isRegularFile(p) || Files.size(p) > MAX_READ_BYTES) {
          return Optional.empty();
        }
        return Optional.of(
            StandardCharsets.UTF_8
                .newDecoder()
                .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p)))
                .toString());
      } catch (CharacterCodingException | InvalidPathException e) {
        return Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    GitReader.Output out = git.git("show", revision.get() + ":./" + path);
    if (!out.ok() || out.stdout().length() > MAX_READ_BYTES || out.stdout().indexOf('\0') >= 0) {
      return Optional.empty();
    }
    return Optional.of(out.stdout());
  }

  @Override
  public List<GrepHit> grep(List<String> words, List<String> pathspecs) {
    if (revision.isEmpty() || words.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(List.of("grep", "-I", "-n", "-w", "-F", "--no-color"));
    for (String w : words) {
      args.add("-e");
      args.add(w);
    }
    if (!worktreeReads) {
      args.add(revision.get());
    }
    args.add("--");
    args.addAll(pathspecs);
    GitReader.Output out = git.git(args);
    String prefix = worktreeReads ? "" : revision.get() + ":";
    List<GrepHit> hits = new ArrayList<>();
    for (String line : out.stdout().split("\n")) {
      String l = line.startsWith(prefix) ? line.substring(prefix.length()) : line;
      int a = l.indexOf(':');
      int b = a < 0 ? -1 : l.indexOf(':', a + 1);
      if (b < 0) {
        continue;
      }
      try {
        hits.add(
            new GrepHit(
                l.substring(0, a),
                Integer.parseInt(l.substring(a + 1, b)),
                l.substring(b + 1).strip()));
      } catch (NumberFormatException e) {
        // not a match line
      }
    }
    return hits;
  }

  @Override
  public Optional<Instant> lineChangedAt(String path, int line) {
    if (revision.isEmpty()) {
      return Optional.empty();
    }
    GitReader.Output out =
        git.git(
            "blame",
            "--porcelain",
            "--since=" + windowStart.truncatedTo(ChronoUnit.SECONDS),
            "-L",
            line + "," + line,
            revision.get(),
            "--",
            path);
    if (!out.ok() || out.stdout().contains("\nboundary\n")) {
      return Optional.empty();
    }
    for (String l : out.stdout().split("\n")) {
      if (l.startsWith("committer-time ")) {
        try {
          return Optional.of(Instant.ofEpochSecond(Long.parseLong(l.substring(15).strip())));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<String> diff(String commitId, int maxChars) {
    GitReader.Output out =
        git.git("show", "--no-color", "--format=", "--patch", "--relative", commitId, "--");
    if (!out.ok()) {
      return Optional.empty();
    }
    String d = out.stdout();
    return Optional.of(d.length() <= maxChars ? d : d.substring(0, maxChars) + "\n[…]");
  }

  @Override
  public CommandOutput run(List<String> command, Duration timeout) {
    CommandResult r = git.run(command, timeout);
    String output = r.stdout() + (r.stderr().isEmpty() ? "" : "\n" + r.stderr());
    return switch (r.outcome()) {
      case NOT_STARTED -> new CommandOutput(-1, "", Optional.of("could not run: " + r.failure()));
      case TIMED_OUT ->
          new CommandOutput(-1, output, Optional.of("did not finish within " + timeout));
      default -> new CommandOutput(r.exitCode(), output, Optional.empty());
    };
  }

  private static final class Builder {
    final OrchestrationConfig config;
    final GitReader git;
    final Instant asOf;
    Optional<String> revision = Optional.empty();
    boolean worktreeReads;
    Instant windowStart;
    List<Commit> commits = List.of();
    Optional<String> windowNote = Optional.empty();
    final List<String> files = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    Builder(OrchestrationConfig config, GitReader git, Instant asOf) {
      this.config = config;
      this.git = git;
      this.asOf = asOf;
      this.windowStart = asOf.minus(Duration.ofDays(config.decision().lookbackDays()));
    }
  }
}
