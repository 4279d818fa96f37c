package dev.overnight.api.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How Overnight keeps its branches mergeable: what it does when a pull request's base moved, and
 * what it does with two tasks predicted to touch the same files.
 *
 * @param strategy how a branch takes in its moved base
 * @param overlap what the second of two overlapping tasks does
 * @param historyCommits how many recent commits the co-change history reads to predict the files a
 *     task touches beyond its own target files (0: only the target files)
 * @since 0.1.0
 */
public record ConflictSettings(Strategy strategy, Overlap overlap, int historyCommits) {

  /** Commits of history read by default for co-change predictions. */
  public static final int DEFAULT_HISTORY_COMMITS = 500;

  /** The most commits of history the co-change prediction reads. */
  public static final int MAX_HISTORY_COMMITS = 100_000;

  /** Validates the components. */
  public ConflictSettings {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(overlap, "overlap");
    if (historyCommits < 0 || historyCommits > MAX_HISTORY_COMMITS) {
      throw new IllegalArgumentException(
          "historyCommits must be between 0 and " + MAX_HISTORY_COMMITS + ": " + historyCommits);
    }
  }

  /** Rebase Overnight's own branches, wait on overlaps, 500 commits of history. */
  public static ConflictSettings defaults() {
    return new ConflictSettings(Strategy.REBASE, Overlap.WAIT, DEFAULT_HISTORY_COMMITS);
  }

  /**
   * How a branch takes in its moved base.
   *
   * @since 0.1.0
   */
  public enum Strategy {
    /**
     * Rebase the branch onto the base when it holds Overnight's commits only; a branch a human
     * pushed to is merged instead, so no one's commits are rewritten.
     */
    REBASE,
    /** Always merge the base into the branch: history is never rewritten. */
    MERGE;

    /** The name the config uses, e.g. {@code rebase}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The strategy a config name stands for. */
    public static Optional<Strategy> parse(String key) {
      for (Strategy s : values()) {
        if (s.key().equals(key)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * What the second of two tasks predicted to touch the same files does.
   *
   * @since 0.1.0
   */
  public enum Overlap {
    /** It waits until the first has finished, then starts from the base as usual. */
    WAIT,
    /** It waits until the first has finished, then starts from the first's branch. */
    STACK;

    /** The name the config uses, e.g. {@code wait}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The overlap rule a config name stands for. */
    public static Optional<Overlap> parse(String key) {
      for (Overlap o : values()) {
        if (o.key().equals(key)) {
          return Optional.of(o);
        }
      }
      return Optional.empty();
    }
  }
}
