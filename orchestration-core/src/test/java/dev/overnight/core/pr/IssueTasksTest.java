package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.IssueSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Retry;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.TaskFeed;
import dev.overnight.core.issues.IssueTasks;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.fakes.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The issues feed against the GitHub imitation and an in-memory queue. */
class IssueTasksTest {
  private static final String TOKEN = "ghp_feed-token-0123456789";

  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-11-25T01:00:00Z"));
  private GitHubImitation github;
  private TaskQueue queue;
  private OrchestrationConfig config;

  @BeforeEach
  void anImitationAndAQueue() throws Exception {
    github = new GitHubImitation(TOKEN);
    queue = InMemoryTaskQueue.builder(time).build();
    config =
        OrchestrationConfig.builder(ConfigValue.of("/tmp/repo"))
            .maxAttempts(2)
            .issues(new IssueSettings(true, "overnight", Map.of("urgent", TaskPriority.HIGH)))
            .build();
  }

  @AfterEach
  void everyResponseConformed() {
    assertThat(github.violations()).isEmpty();
    github.close();
  }

  private IssueTasks feed() {
    return IssueTasks.create(
        config,
        GitHubIssues.of(github.api(), "octo", "app", Optional.of(TOKEN), Duration.ofSeconds(10)),
        queue,
        () -> Set.of("repo:github.com/octo/app"));
  }

  @Test
  void anIssueIsQueuedOnceWhateverBecomesOfItsTaskAndWhoeverPollsAgain() {
    github.issue(1, "Fix it", "Please.", "overnight", "urgent");

    feed().refresh();
    Task task = queue.list(TaskFilter.all()).items().get(0);
    queue.claimNext("w", Duration.ofMinutes(5));
    queue.fail(task.id(), "w", "broke", Retry.NEVER);
    // A fresh feed, as after a restart, over the same queue.
    List<TaskFeed.Withdrawn> withdrawn = feed().refresh();

    assertThat(withdrawn).isEmpty();
    assertThat(queue.list(TaskFilter.all()).items()).hasSize(1);
    assertThat(task.priority()).isEqualTo(TaskPriority.HIGH);
    assertThat(task.maxAttempts()).isEqualTo(2);
    assertThat(TaskFacts.ISSUE.from(task)).contains("octo/app#1");
    assertThat(TaskFacts.REQUIRED_LABELS.from(task)).contains(Set.of("repo:github.com/octo/app"));
  }

  @Test
  void aFailedTaskTellsItsIssueItNeedsAHumanOnceAndOtherOutcomesTellNothing() {
    github.issue(2, "Upgrade the parser", "", "overnight");
    IssueTasks feed = feed();
    feed.refresh();
    Task task = queue.list(TaskFilter.all()).items().get(0);
    Instant now = time.instant();

    feed.onEvent(
        new CoordinatorEvent.TaskEnded(
            now, task, AttemptOutcome.RETRY, "gate red", Optional.empty()));
    feed.onEvent(
        new CoordinatorEvent.TaskEnded(
            now, task, AttemptOutcome.FAILED, "quality gate failed: 3 tests", Optional.empty()));
    // The same end heard again (another listener's replay, a restart): no second comment.
    feed.onEvent(
        new CoordinatorEvent.TaskEnded(
            now, task, AttemptOutcome.FAILED, "quality gate failed: 3 tests", Optional.empty()));

    assertThat(github.issueComments(2))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c)
                    .contains("could not resolve this issue: quality gate failed: 3 tests")
                    .contains("It needs a human")
                    .contains("<!-- overnight-task " + task.id().value() + " -->"));
  }

  @Test
  void withACutListAMissingIssueIsAskedForBeforeItsTaskIsCancelled() {
    for (long n = 1; n <= GitHubIssues.PAGE + 1; n++) {
      github.issue(n, "Issue " + n, "", "overnight");
    }
    feed().refresh();
    // The oldest was not on the one page read: it is still labelled, so it stays.
    assertThat(feed().refresh()).isEmpty();
    assertThat(queue.list(TaskFilter.withStatus(TaskStatus.PENDING)).items()).hasSize(100);

    github.unlabel(50, "overnight");
    List<TaskFeed.Withdrawn> withdrawn = feed().refresh();

    assertThat(withdrawn)
        .singleElement()
        .satisfies(w -> assertThat(w.reason()).isEqualTo("issue #50 lost the label \"overnight\""));
    assertThat(github.requests()).contains("GET /repos/octo/app/issues/50");
  }

  @Test
  void aStartedTaskIsNeverCancelledAndGitHubDownIsThrownForTheCoordinatorToLog() {
    github.issue(3, "Tidy up", "", "overnight");
    IssueTasks feed = feed();
    feed.refresh();
    queue.claimNext("w", Duration.ofMinutes(5));
    github.unlabel(3, "overnight");

    assertThat(feed.refresh()).isEmpty();
    assertThat(queue.list(TaskFilter.all()).items().get(0).status())
        .isEqualTo(TaskStatus.IN_PROGRESS);

    github.close();
    assertThatThrownBy(feed::refresh)
        .isInstanceOf(OrchestrationException.class)
        .hasMessageContaining("GitHub did not answer GET /repos/octo/app/issues");
  }
}
