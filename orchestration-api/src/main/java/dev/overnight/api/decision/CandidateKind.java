package dev.overnight.api.decision;

import java.util.Locale;

/**
 * What a {@link Candidate} asks an agent to do. Each kind maps onto the coarser {@link
 * DecisionPath} that tasks, reports and agent choice already use.
 *
 * @since 0.1.0
 */
public enum CandidateKind {
  /** Write tests for hot code that evidence says is untested. */
  TESTS(DecisionPath.TESTS),
  /** Write a regression test for a recent bug fix that came without one. */
  REGRESSION_TEST(DecisionPath.TESTS),
  /** Resolve a recently added TODO, FIXME or XXX comment. */
  TODO(DecisionPath.REFACTOR),
  /** Restructure a file that is both large or complex and often changed. */
  REFACTOR(DecisionPath.REFACTOR),
  /** Fix what one of the repository's own checkers reports in a hot file. */
  CHECKER_FINDING(DecisionPath.REFACTOR),
  /** Nothing specific: look around and report. */
  EXPLORATION(DecisionPath.EXPLORATION),
  /** Upgrade a dependency the build files pin below a newer known version. */
  DEPENDENCY_UPGRADE(DecisionPath.REFACTOR);

  private final DecisionPath path;

  CandidateKind(DecisionPath path) {
    this.path = path;
  }

  /** The decision path a task of this kind takes (its agent, priority, estimate). */
  public DecisionPath path() {
    return path;
  }

  /** The kind as a snake_case key, e.g. {@code regression_test}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
