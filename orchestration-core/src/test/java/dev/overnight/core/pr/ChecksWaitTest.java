package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.OrchestrationException;
import dev.overnight.fakes.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waiting for a pull request's checks on virtual time, read through the REST client from the GitHub
 * imitation: each ask after the first is one timer of the wait, run by the test.
 */
class ChecksWaitTest {
  private static final String TOKEN = "ghp_checks-token-0123456789";
  private static final Instant START = Instant.parse("2026-11-25T03:00:00Z");

  private final ManualTimeSource time = new ManualTimeSource(START);
  private GitHubImitation github;
  private ChecksWait wait;

  @BeforeEach
  void anImitation() throws Exception {
    github = new GitHubImitation(TOKEN);
    GitHubPullRequests client =
        GitHubPullRequests.of(
            github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10));
    wait = ChecksWait.of(client, time, Duration.ofSeconds(30));
  }

  @AfterEach
  void everyResponseConformed() {
    assertThat(github.violations()).isEmpty();
    github.close();
  }

  /** Runs the wait on its own thread, moving virtual time each time it waits for its next ask. */
  private ChecksWait.Result waitFor(String branch, Duration timeout) throws Exception {
    CompletableFuture<ChecksWait.Result> result =
        CompletableFuture.supplyAsync(() -> wait.await(branch, timeout, () -> false));
    while (!result.isDone()) {
      if (!time.runNextDue()) {
        Thread.onSpinWait();
      }
    }
    return result.get(0, TimeUnit.SECONDS);
  }

  @Test
  void aCheckThatFailsAfterRunningGivesItsNameAndSummary() throws Exception {
    GitHubImitation.Pull pull = github.open(7, "overnight/upgrade-7", "c7");
    github.check(pull, "lint", 0, "success", "No findings.");
    github.check(pull, "unit tests", 2, "failure", "2 of 118 tests failed: ParserTest");

    ChecksWait.Result r = waitFor("overnight/upgrade-7", Duration.ofMinutes(30));

    assertThat(r.outcome().state()).isEqualTo(ChecksOutcome.State.FAILED);
    assertThat(r.outcome().failingCheck()).contains("unit tests");
    assertThat(r.outcome().summary()).contains("2 of 118 tests failed: ParserTest");
    assertThat(r.asked()).isEqualTo(3);
    assertThat(r.timedOut()).isFalse();
    assertThat(time.instant()).isEqualTo(START.plusSeconds(60));
  }

  @Test
  void checksThatAllCompleteWithoutFailurePass() throws Exception {
    GitHubImitation.Pull pull = github.open(8, "overnight/docs-8", "d8");
    github.check(pull, "build", 1, "success", "Built.");
    github.check(pull, "docs", 0, "neutral", "Nothing to say.");

    ChecksWait.Result r = waitFor("overnight/docs-8", Duration.ofMinutes(30));

    assertThat(r.outcome().state()).isEqualTo(ChecksOutcome.State.PASSED);
    assertThat(r.asked()).isEqualTo(2);
  }

  @Test
  void checksStillRunningWhenTheTimeIsSpentTimeOutAfterAnAskOnTheDeadline() throws Exception {
    GitHubImitation.Pull pull = github.open(9, "overnight/slow-9", "e9");
    github.check(pull, "integration", 100, "success", "");

    ChecksWait.Result r = waitFor("overnight/slow-9", Duration.ofSeconds(75));

    assertThat(r.timedOut()).isTrue();
    assertThat(r.outcome().state()).isEqualTo(ChecksOutcome.State.PENDING);
    // At 0, 30, 60 and on the deadline at 75 seconds.
    assertThat(r.asked()).isEqualTo(4);
    assertThat(time.instant()).isEqualTo(START.plusSeconds(75));
  }

  @Test
  void aBranchWithoutAPullRequestIsAnError() {
    assertThatThrownBy(() -> wait.await("overnight/none-1", Duration.ofMinutes(1), () -> false))
        .isInstanceOf(OrchestrationException.class)
        .hasMessage("the branch overnight/none-1 has no pull request");
  }
}
