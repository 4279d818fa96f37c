package dev.overnight.core.pr;

import java.util.List;
import java.util.Objects;

/**
 * What a pull request's checks and reviewers say is wrong with it now, item by item, so a follow-up
 * turn can answer each: a failing check with the end of its log, a review asking for changes with
 * its comments. Immutable.
 *
 * @param number the pull request's number
 * @param state where it stands (its checks failing, changes requested, merged, ...)
 * @param headSha the commit its head branch points at
 * @param items what is wrong, failing checks first; empty when nothing is or it has ended
 * @since 0.1.0
 */
public record PullRequestFeedback(
    long number, PullRequestState state, String headSha, List<Item> items) {

  /** Validates and copies the components. */
  public PullRequestFeedback {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(headSha, "headSha");
    items = List.copyOf(items);
  }

  /** What kind of thing asks for a follow-up. */
  public enum Kind {
    /** A check run or commit status on the head that failed. */
    FAILING_CHECK,
    /** A reviewer's latest verdict asks for changes. */
    CHANGES_REQUESTED
  }

  /**
   * One thing to answer.
   *
   * @param kind a failing check or a review asking for changes
   * @param key what identifies it for good, so it is answered once: {@code check:NAME@SHA}, {@code
   *     status:CONTEXT@SHA} or {@code review:ID}
   * @param name how a person names it: the check's name, or the reviewer's review
   * @param detail what it says: the end of the failing job's log (else the check's output), or the
   *     review's body and its comments on the code
   */
  public record Item(Kind kind, String key, String name, String detail) {
    /** Validates the components. */
    public Item {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
