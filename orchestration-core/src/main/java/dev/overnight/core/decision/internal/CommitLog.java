package dev.overnight.core.decision.internal;

import dev.overnight.api.decision.RepositorySnapshot.Commit;
import dev.overnight.api.decision.RepositorySnapshot.FileChange;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A repository's non-merge commits with the files each changed and by how many lines, read in one
 * {@code git log --numstat} pass — never one git call per file. Pure parsing apart from {@link
 * #read}; thread-safe.
 */
public final class CommitLog {
  private static final char RECORD = '\u001e';
  private static final char FIELD = '\u001f';

  private CommitLog() {}

  /**
   * The commits reachable from {@code revision} since {@code since} (all of them when empty),
   * newest first, at most {@code limit} when given.
   */
  public static Result read(
      GitReader git, String revision, Optional<Instant> since, Optional<Integer> limit) {
    List<String> args = new ArrayList<>();
    args.add("log");
    args.add("--no-merges");
    args.add("--no-color");
    args.add("--numstat");
    args.add("--relative");
    args.add("-z");
    args.add("--format=%x1e%H%x1f%ct%x1f%s");
    since.ifPresent(s -> args.add("--since=" + s.truncatedTo(ChronoUnit.SECONDS)));
    limit.ifPresent(n -> args.add("-n" + n));
    args.add(revision);
    args.add("--");
    GitReader.Output out = git.git(args);
    if (!out.ok()) {
      return new Result(List.of(), out.problem());
    }
    return new Result(parse(out.stdout()), Optional.empty());
  }

  /**
   * What {@link #read} found.
   *
   * @param commits newest first
   * @param problem why nothing could be read, if so
   */
  public record Result(List<Commit> commits, Optional<String> problem) {}

  /** Parses {@code git log --numstat -z --format=%x1e%H%x1f%ct%x1f%s} output. */
  public static List<Commit> parse(String output) {
    List<Commit> commits = new ArrayList<>();
    int start = output.indexOf(RECORD);
    while (start >= 0) {
      int end = output.indexOf(RECORD, start + 1);
      String record = output.substring(start + 1, end < 0 ? output.length() : end);
      start = end;
      int headerEnd = record.indexOf('\0');
      String header = headerEnd < 0 ? record : record.substring(0, headerEnd);
      String[] h = header.split(String.valueOf(FIELD), 3);
      if (h.length < 2) {
        continue;
      }
      Instant time;
      try {
        time = Instant.ofEpochSecond(Long.parseLong(h[1].strip()));
      } catch (NumberFormatException e) {
        continue;
      }
      List<FileChange> changes = new ArrayList<>();
      if (headerEnd >= 0) {
        String[] tokens = record.substring(headerEnd + 1).split("\0", -1);
        for (int i = 0; i < tokens.length; i++) {
          String t = tokens[i].startsWith("\n") ? tokens[i].substring(1) : tokens[i];
          String[] parts = t.split("\t", 3);
          if (parts.length < 3) {
            continue;
          }
          String path = parts[2];
          if (path.isEmpty() && i + 2 < tokens.length) {
            path = tokens[i + 2]; // a rename: old path, then new path
            i += 2;
          }
          if (!path.isEmpty()) {
            changes.add(new FileChange(path, count(parts[0]), count(parts[1])));
          }
        }
      }
      commits.add(new Commit(h[0].strip(), time, h.length > 2 ? h[2] : "", changes));
    }
    return commits;
  }

  private static int count(String n) {
    try {
      return Integer.parseInt(n);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
