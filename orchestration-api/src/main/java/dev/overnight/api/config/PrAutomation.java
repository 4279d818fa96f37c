package dev.overnight.api.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What happens to a finished task's branch: commit, push, open a pull request.
 *
 * @param enabled whether to commit, push and open pull requests at all
 * @param draft open pull requests as drafts
 * @param branchPrefix prefix of every task branch, e.g. {@code "overnight/"}
 * @param baseBranch the branch task branches start from and pull requests target; empty means the
 *     workspace's current branch
 * @param push push task branches to {@link #remote()}
 * @param remote the git remote to push to
 * @param followUps how many follow-up turns answer failing checks and requested changes on the pull
 *     requests Overnight opened, and when they run
 * @since 0.1.0
 */
public record PrAutomation(
    boolean enabled,
    boolean draft,
    String branchPrefix,
    Optional<String> baseBranch,
    boolean push,
    String remote,
    FollowUps followUps) {

  /** Default branch prefix. */
  public static final String DEFAULT_BRANCH_PREFIX = "overnight/";

  /** Validates the components. */
  public PrAutomation {
    Objects.requireNonNull(branchPrefix, "branchPrefix");
    Objects.requireNonNull(baseBranch, "baseBranch");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(followUps, "followUps");
  }

  /** Settings with the default {@link FollowUps}. */
  public PrAutomation(
      boolean enabled,
      boolean draft,
      String branchPrefix,
      Optional<String> baseBranch,
      boolean push,
      String remote) {
    this(enabled, draft, branchPrefix, baseBranch, push, remote, FollowUps.defaults());
  }

  /** These settings with other follow-up bounds. */
  public PrAutomation withFollowUps(FollowUps value) {
    return new PrAutomation(enabled, draft, branchPrefix, baseBranch, push, remote, value);
  }

  /** Disabled: task branches stay local, nothing is pushed. */
  public static PrAutomation disabled() {
    return new PrAutomation(false, true, DEFAULT_BRANCH_PREFIX, Optional.empty(), false, "origin");
  }

  /**
   * How Overnight follows up the pull requests it opened ({@code pr_automation.follow_ups}): a
   * failing check or a review asking for changes becomes a follow-up turn on the task's branch,
   * within these bounds. Follow-ups count in the night's spending limits like any task.
   *
   * @param perPr at most this many follow-ups on one pull request, ever; 0 turns follow-ups off
   * @param perNight at most this many follow-ups started in any twelve hours, over all pull
   *     requests
   * @param inDay whether follow-ups also run outside the schedule's window; by default they run
   *     only inside it. Outside it, open pull requests are watched every {@code dayInterval} and
   *     only follow-ups run, as the machine's constraints allow, at most {@code perNight} of them
   *     from one night's start to the next
   * @param dayInterval how often open pull requests are watched outside the window when {@code
   *     inDay}
   */
  public record FollowUps(int perPr, int perNight, boolean inDay, Duration dayInterval) {
    /** Default for {@link #perPr()}. */
    public static final int DEFAULT_PER_PR = 3;

    /** Default for {@link #perNight()}. */
    public static final int DEFAULT_PER_NIGHT = 10;

    /** Default for {@link #dayInterval()}: a quarter of an hour. */
    public static final Duration DEFAULT_DAY_INTERVAL = Duration.ofMinutes(15);

    /** Validates the components. */
    public FollowUps {
      if (perPr < 0) {
        throw new IllegalArgumentException("perPr < 0");
      }
      if (perNight < 0) {
        throw new IllegalArgumentException("perNight < 0");
      }
      Objects.requireNonNull(dayInterval, "dayInterval");
      if (dayInterval.isNegative() || dayInterval.isZero()) {
        throw new IllegalArgumentException("dayInterval must be positive, was " + dayInterval);
      }
    }

    /** Bounds watched every {@link #DEFAULT_DAY_INTERVAL} in the day. */
    public FollowUps(int perPr, int perNight, boolean inDay) {
      this(perPr, perNight, inDay, DEFAULT_DAY_INTERVAL);
    }

    /** These bounds, watched every {@code value} outside the window. */
    public FollowUps withDayInterval(Duration value) {
      return new FollowUps(perPr, perNight, inDay, value);
    }

    /**
     * {@value #DEFAULT_PER_PR} per pull request, {@value #DEFAULT_PER_NIGHT} a night, in the
     * window.
     */
    public static FollowUps defaults() {
      return new FollowUps(DEFAULT_PER_PR, DEFAULT_PER_NIGHT, false);
    }

    /** No follow-ups at all. */
    public static FollowUps off() {
      return new FollowUps(0, 0, false);
    }

    /** Whether any follow-up may run. */
    public boolean enabled() {
      return perPr > 0 && perNight > 0;
    }
  }
}
