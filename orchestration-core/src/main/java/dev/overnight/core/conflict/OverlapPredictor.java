package dev.overnight.core.conflict;

import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.core.worktree.Git;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Predicts the files a task will touch, and whether two tasks would touch the same ones: a task's
 * own target files ({@link TaskFacts#TARGET_FILE}, the files an earlier attempt changed, the files
 * already predicted), plus the files that historically change with each of them ({@link
 * CoChangeHistory}: together in at least {@value #MIN_TOGETHER} commits and in at least a quarter
 * of the target's own, at most {@value #MAX_PARTNERS} per target, none that changes with everything
 * as a changelog does).
 *
 * <p>The history is read once per base commit and cached: a predictor built on a repository reads
 * {@code conflicts.history_commits} commits of its {@code HEAD} again only when {@code HEAD} moved.
 * A task with no target file is predicted to touch nothing: it overlaps no other.
 *
 * <p>Thread-safe; the first prediction after {@code HEAD} moved blocks on {@code git log}.
 *
 * @since 0.1.0
 */
public final class OverlapPredictor {
  /** Commits two files must share to count as changing together. */
  public static final int MIN_TOGETHER = 2;

  /** The share of a target's commits a partner must appear in. */
  public static final double MIN_SHARE = 0.25;

  /** Partners taken per target file. */
  public static final int MAX_PARTNERS = 10;

  /**
   * A partner changed in more than this share of all commits, and more than twice as often as the
   * target (a changelog, a version file), changes with everything and says nothing about which
   * tasks collide: it is left out.
   */
  public static final double HUB_SHARE = 0.2;

  /** The commits a history needs before a partner is judged by {@link #HUB_SHARE}. */
  public static final int MIN_HUB_HISTORY = 50;

  private final Supplier<String> head;
  private final HistoryReader reader;
  private String cachedAt; // guarded by this
  private CoChangeHistory cached; // guarded by this

  private OverlapPredictor(Supplier<String> head, HistoryReader reader) {
    this.head = head;
    this.reader = reader;
  }

  /** A predictor reading the last {@code historyCommits} commits of {@code repository}'s HEAD. */
  public static OverlapPredictor of(Git repository, int historyCommits) {
    Objects.requireNonNull(repository, "repository");
    return new OverlapPredictor(
        () -> {
          var r = repository.run("rev-parse", "--verify", "-q", "HEAD");
          return r.succeeded() ? r.stdout().trim() : "";
        },
        at ->
            at.isEmpty()
                ? CoChangeHistory.of(List.of())
                : CoChangeHistory.read(repository, at, historyCommits));
  }

  /** A predictor over a fixed history, as a replay of the past uses. */
  public static OverlapPredictor of(CoChangeHistory history) {
    Objects.requireNonNull(history, "history");
    return new OverlapPredictor(() -> "fixed", at -> history);
  }

  /** The history predictions use now, read again when {@code HEAD} moved. */
  public synchronized CoChangeHistory history() {
    String at = head.get();
    if (cached == null || !at.equals(cachedAt)) {
      cached = reader.read(at);
      cachedAt = at;
    }
    return cached;
  }

  /** The files a task names as its own: its target file, and what an earlier attempt changed. */
  public static SortedSet<String> targets(Task task) {
    return targets(task.metadata());
  }

  /** The target files a task's (or a proposal's) metadata names. */
  public static SortedSet<String> targets(Map<String, String> metadata) {
    SortedSet<String> files = new TreeSet<>();
    TaskFacts.TARGET_FILE.from(metadata).filter(f -> !f.isBlank()).ifPresent(files::add);
    TaskFacts.CHANGED_FILES
        .from(metadata)
        .ifPresent(c -> c.lines().filter(l -> !l.isBlank()).forEach(files::add));
    return files;
  }

  /** The files a task is predicted to touch: its targets and their partners. */
  public SortedSet<String> predict(Task task) {
    return predict(targets(task));
  }

  /** The given target files and the files that change with them. */
  public SortedSet<String> predict(Collection<String> targets) {
    SortedSet<String> files = new TreeSet<>(targets);
    if (targets.isEmpty()) {
      return files;
    }
    CoChangeHistory h = history();
    // In a short history every file looks frequent: hubs are told apart from 50 commits on.
    double hub = h.commits() < MIN_HUB_HISTORY ? Double.MAX_VALUE : HUB_SHARE * h.commits();
    for (String t : targets) {
      int own = h.changes(t);
      h.partners(t, MIN_TOGETHER, MIN_SHARE, MAX_PARTNERS + 5).stream()
          .filter(p -> h.changes(p) <= hub || h.changes(p) <= 2 * own)
          .limit(MAX_PARTNERS)
          .forEach(files::add);
    }
    return files;
  }

  /**
   * The first of {@code others} whose predicted files meet {@code task}'s, with the shared files;
   * empty when none does.
   */
  public Optional<Overlap> firstOverlap(Task task, Collection<Task> others) {
    SortedSet<String> mine = predict(task);
    if (mine.isEmpty()) {
      return Optional.empty();
    }
    for (Task other : others) {
      if (other.id().equals(task.id())) {
        continue;
      }
      List<String> shared = new ArrayList<>(predict(other));
      shared.retainAll(mine);
      if (!shared.isEmpty()) {
        return Optional.of(new Overlap(other, shared));
      }
    }
    return Optional.empty();
  }

  /**
   * Two tasks predicted to touch the same files.
   *
   * @param with the task already running (or planned first)
   * @param files the files both are predicted to touch, sorted
   * @since 0.1.0
   */
  public record Overlap(Task with, List<String> files) {
    /** Copies the files. */
    public Overlap {
      Objects.requireNonNull(with, "with");
      files = List.copyOf(files);
    }

    /** In words: {@code task 1a2b3c4d (Tidy parser): Parser.java, Lexer.java}. */
    public String describe() {
      return "task "
          + with.id().shortId()
          + " ("
          + with.title()
          + "): "
          + String.join(", ", files.size() > 5 ? files.subList(0, 5) : files)
          + (files.size() > 5 ? " and " + (files.size() - 5) + " more" : "");
    }
  }

  @FunctionalInterface
  private interface HistoryReader {
    CoChangeHistory read(String at);
  }
}
