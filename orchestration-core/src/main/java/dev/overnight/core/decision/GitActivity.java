package dev.overnight.core.decision;

import dev.overnight.api.config.Focus;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.core.decision.internal.FocusMatcher;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.time.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How often each file of a workspace changed in its git history since a point in time: the number
 * of non-merge commits that touched it, read with {@code git log --no-merges --since=… --name-only
 * --relative}.
 *
 * <p>Read-only: git runs with {@code GIT_OPTIONAL_LOCKS=0}, so not even the index is refreshed, and
 * without the caller's {@code GIT_DIR}/{@code GIT_WORK_TREE}. Paths come back relative to the
 * workspace (which may be a subfolder of the repository) with {@code /} separators, renamed files
 * under their new name, and only those in {@code focus}. Nothing here throws for a workspace that
 * is not a repository, a repository without commits, a missing git or a git that hangs: the {@link
 * Result} says what went wrong and carries no files. Thread-safe; blocks for as long as git runs,
 * at most the timeout.
 *
 * @since 0.1.0
 */
public final class GitActivity {
  /** Default bound on one git command. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final char RECORD = '\u001e';

  /** The whole log is the answer: keep up to 64 MiB of it, not only its tail. */
  private static final CommandRunner RUNNER = CommandRunner.system(64 * 1024 * 1024);

  private final String git;
  private final Duration timeout;

  private GitActivity(String git, Duration timeout) {
    this.git = git;
    this.timeout = timeout;
  }

  /** Git from {@code PATH}, 30-second bound. */
  public static GitActivity standard() {
    return new GitActivity("git", DEFAULT_TIMEOUT);
  }

  /** A reader running {@code gitCommand} with at most {@code timeout} per command. */
  public static GitActivity of(String gitCommand, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return new GitActivity(Objects.requireNonNull(gitCommand, "gitCommand"), timeout);
  }

  /**
   * What git's history says.
   *
   * @param files touch counts, most touched first, ties by path
   * @param commits how many non-merge commits were read
   * @param problem why nothing could be read, if so
   */
  public record Result(List<FileActivity> files, int commits, Optional<String> problem) {
    /** Copies the list. */
    public Result {
      files = List.copyOf(files);
      Objects.requireNonNull(problem, "problem");
    }

    static Result failed(String why) {
      return new Result(List.of(), 0, Optional.of(why));
    }
  }

  /** Touch counts of files in {@code focus} changed in {@code workspace} since {@code since}. */
  public Result read(Path workspace, Instant since, Focus focus) {
    return read(workspace, since, Optional.empty(), focus);
  }

  /**
   * Touch counts of files in {@code focus} changed in {@code workspace} since {@code since} and,
   * when given, not after {@code until} (later commits are ignored: {@code plan --as-of}).
   */
  public Result read(Path workspace, Instant since, Optional<Instant> until, Focus focus) {
    if (!Files.isDirectory(workspace)) {
      return Result.failed("workspace folder not found: " + workspace);
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                git,
                "-c",
                "core.quotepath=off",
                "-c",
                "log.showSignature=false",
                "log",
                "--no-merges",
                "--no-color",
                "--since=" + since.truncatedTo(ChronoUnit.SECONDS),
                "--name-only",
                "--relative",
                "-z",
                "--format=%x1e%H"));
    until.ifPresent(u -> command.add("--until=" + u.truncatedTo(ChronoUnit.SECONDS)));
    Map<String, String> env = new HashMap<>();
    env.put("GIT_OPTIONAL_LOCKS", "0");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_DIR", null);
    env.put("GIT_WORK_TREE", null);
    env.put("GIT_INDEX_FILE", null);
    env.put("LC_ALL", "C");
    CommandResult r = RUNNER.run(command, workspace, env, timeout);
    if (r.outcome() == CommandResult.Outcome.NOT_STARTED) {
      return Result.failed("git could not be run: " + r.failure());
    }
    if (r.outcome() == CommandResult.Outcome.TIMED_OUT) {
      return Result.failed(
          String.join(" ", command) + " did not finish within " + Durations.human(timeout));
    }
    if (r.exitCode() != 0) {
      String err = r.stderr().strip().lines().findFirst().orElse("exit code " + r.exitCode());
      if (err.contains("does not have any commits")) {
        return Result.failed("the repository has no commits yet");
      }
      if (err.contains("not a git repository")) {
        return Result.failed("not a git repository: " + workspace);
      }
      return Result.failed("git log failed: " + err);
    }
    return parse(r.stdout(), FocusMatcher.of(focus));
  }

  static Result parse(String output, FocusMatcher focus) {
    Map<String, Integer> touches = new LinkedHashMap<>();
    int commits = 0;
    for (String record : output.split(String.valueOf(RECORD))) {
      String[] fields = record.split("\0");
      if (fields.length == 0 || fields[0].isBlank()) {
        continue;
      }
      commits++;
      for (int i = 1; i < fields.length; i++) {
        String path = fields[i].startsWith("\n") ? fields[i].substring(1) : fields[i];
        if (!path.isEmpty() && focus.inFocus(path)) {
          touches.merge(path, 1, Integer::sum);
        }
      }
    }
    List<FileActivity> files = new ArrayList<>();
    touches.forEach((p, n) -> files.add(new FileActivity(p, n)));
    files.sort(
        Comparator.comparingInt(FileActivity::touches)
            .reversed()
            .thenComparing(FileActivity::path));
    return new Result(files, commits, Optional.empty());
  }
}
