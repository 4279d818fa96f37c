package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.OrchestrationException;
import dev.overnight.core.json.OvernightJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pull request states read over GitHub's REST API, against a local imitation whose every response
 * conforms to GitHub's own OpenAPI description.
 */
class GitHubPullRequestsTest {
  private static final String TOKEN = "ghp_test-token-0123456789";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private GitHubImitation github;
  private GitHubPullRequests client;

  @BeforeEach
  void anImitation() throws Exception {
    github = new GitHubImitation(TOKEN);
    client = GitHubPullRequests.of(github.api(), "octo", "app", Optional.of(TOKEN), TIMEOUT);
  }

  @AfterEach
  void everyResponseConformedToGitHubsDescription() {
    assertThat(github.violations()).isEmpty();
    github.close();
  }

  @Test
  void anOpenPullRequestWithNothingWrongIsOpen() {
    github.open(1, "overnight/tests-1", "a1");

    assertThat(client.stateOf("overnight/tests-1")).contains(PullRequestState.OPEN);
    assertThat(client.state(1)).isEqualTo(PullRequestState.OPEN);
  }

  @Test
  void aBranchWithoutAPullRequestHasNoState() {
    github.open(1, "overnight/other-1", "a1");

    assertThat(client.stateOf("overnight/none-2")).isEmpty();
  }

  @Test
  void aFailedCheckRunOrAnErroredStatusMakesItsChecksFailing() {
    github
        .open(1, "overnight/a-1", "a1")
        .checkConclusions
        .addAll(java.util.List.of("success", "failure"));
    github.open(2, "overnight/b-2", "b2").combinedStatus = "error";
    github.open(3, "overnight/c-3", "c3").checkConclusions.add("neutral");

    assertThat(client.stateOf("overnight/a-1")).contains(PullRequestState.CHECKS_FAILING);
    assertThat(client.stateOf("overnight/b-2")).contains(PullRequestState.CHECKS_FAILING);
    assertThat(client.stateOf("overnight/c-3")).contains(PullRequestState.OPEN);
  }

  @Test
  void aReviewersLatestVerdictCountsAndCommentsDoNotChangeIt() {
    GitHubImitation.Pull changed = github.open(1, "overnight/a-1", "a1");
    changed.reviews.add(new String[] {"alice", "APPROVED"});
    changed.reviews.add(new String[] {"bob", "CHANGES_REQUESTED"});
    changed.reviews.add(new String[] {"bob", "COMMENTED"});
    GitHubImitation.Pull settled = github.open(2, "overnight/b-2", "b2");
    settled.reviews.add(new String[] {"alice", "CHANGES_REQUESTED"});
    settled.reviews.add(new String[] {"alice", "APPROVED"});

    assertThat(client.stateOf("overnight/a-1")).contains(PullRequestState.CHANGES_REQUESTED);
    assertThat(client.stateOf("overnight/b-2")).contains(PullRequestState.OPEN);
  }

  @Test
  void failingChecksComeBeforeRequestedChanges() {
    GitHubImitation.Pull both = github.open(1, "overnight/a-1", "a1");
    both.checkConclusions.add("timed_out");
    both.reviews.add(new String[] {"bob", "CHANGES_REQUESTED"});

    assertThat(client.stateOf("overnight/a-1")).contains(PullRequestState.CHECKS_FAILING);
  }

  @Test
  void mergedAndClosedPullRequestsHaveEnded() {
    GitHubImitation.Pull merged = github.open(1, "overnight/a-1", "a1");
    merged.state = "closed";
    merged.merged = true;
    github.open(2, "overnight/b-2", "b2").state = "closed";

    assertThat(client.stateOf("overnight/a-1")).contains(PullRequestState.MERGED);
    assertThat(client.state(1)).isEqualTo(PullRequestState.MERGED);
    assertThat(client.stateOf("overnight/b-2")).contains(PullRequestState.CLOSED);
    assertThat(client.state(2).ended()).isTrue();
    assertThat(github.requests())
        .as("an ended pull request needs neither its checks nor its reviews")
        .noneMatch(r -> r.contains("/commits/") || r.contains("/reviews"));
  }

  @Test
  void aWrongTokenIsRefusedWithGitHubsMessage() {
    GitHubPullRequests wrong =
        GitHubPullRequests.of(github.api(), "octo", "app", Optional.of("nope"), TIMEOUT);

    assertThatThrownBy(() -> wrong.stateOf("overnight/a-1"))
        .isInstanceOf(OrchestrationException.class)
        .hasMessage("GitHub answered GET /repos/octo/app/pulls with HTTP 401: Bad credentials")
        .hasMessageNotContaining("nope");
  }

  @Test
  void aServerThatIsGoneIsAnErrorNotAState() {
    URI gone = github.api();
    github.close();
    GitHubPullRequests offline =
        GitHubPullRequests.of(gone, "octo", "app", Optional.of(TOKEN), TIMEOUT);

    assertThatThrownBy(() -> offline.stateOf("overnight/a-1"))
        .isInstanceOf(OrchestrationException.class)
        .hasMessageStartingWith("GitHub did not answer GET /repos/octo/app/pulls");
  }

  @Test
  void theImitationsIssueCommentsConformToo() throws Exception {
    github
        .open(7, "overnight/a-7", "a7")
        .comments
        .add("Overnight pushed a fix for the failing check.");
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(github.api().resolve("/repos/octo/app/issues/7/comments"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Overnight pushed a fix for the failing check.");
  }

  @Test
  void theDescriptionRejectsWhatGitHubWouldNeverSend() {
    GitHubDescription description = GitHubDescription.get();
    String pull = OvernightJson.write(description.example("pull-request"));

    assertThat(description.errors("/repos/{owner}/{repo}/pulls/{pull_number}", "{\"number\":1}"))
        .isNotEmpty();
    assertThat(
            description.errors(
                "/repos/{owner}/{repo}/pulls/{pull_number}",
                pull.replace("\"state\":\"open\"", "\"state\":\"merged\"")))
        .contains("/state: does not have a value in the enumeration [\"open\", \"closed\"]");
  }

  @Test
  void aRemoteNamesItsRepositoryTheApiAndWhichTokenToUse() {
    Map<String, String> env =
        Map.of("GH_TOKEN", "public-token", "GH_ENTERPRISE_TOKEN", "enterprise-token");

    assertThat(GitHubPullRequests.forRemote("https://github.com/octo/app.git", env, TIMEOUT))
        .hasValueSatisfying(
            c -> assertThat(c.toString()).isEqualTo("GitHub octo/app at api.github.com"));
    assertThat(GitHubPullRequests.forRemote("git@github.com:octo/app.git", env, TIMEOUT))
        .hasValueSatisfying(c -> assertThat(c.repository()).isEqualTo("octo/app"));
    assertThat(
            GitHubPullRequests.forRemote("ssh://git@ghe.corp.example:2222/team/svc", env, TIMEOUT))
        .hasValueSatisfying(
            c -> assertThat(c.toString()).isEqualTo("GitHub team/svc at ghe.corp.example"));
    assertThat(GitHubPullRequests.forRemote("/srv/git/app.git", env, TIMEOUT)).isEmpty();
    assertThat(GitHubPullRequests.forRemote("https://github.com/octo/app", Map.of(), TIMEOUT))
        .hasValueSatisfying(c -> assertThat(c.authenticated()).isFalse());
  }

  @Test
  void aFailingActionsJobComesWithTheEndOfItsLogAndAnotherAppsCheckWithItsOutput() {
    github.open(1, "overnight/a-1", "a1");
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 100; i++) {
      log.append("2026-11-25T02:00:").append(i % 60 < 10 ? "0" : "").append(i % 60);
      log.append(".1234567Z line ").append(i).append('\n');
    }
    log.append("2026-11-25T02:01:41.0000000Z ##[error]AppTest.adds: expected 3 but was 4\n");
    github.actionsCheck(1, "build", "failure", log.toString());
    github.appCheck(1, "lint", "failure", "2 style problems in App.java");
    github.appCheck(1, "docs", "success", "fine");

    PullRequestFeedback f = client.feedback(1);

    assertThat(f.state()).isEqualTo(PullRequestState.CHECKS_FAILING);
    assertThat(f.headSha()).isEqualTo("a1");
    assertThat(f.items())
        .extracting(PullRequestFeedback.Item::key)
        .containsExactly("check:build@a1", "check:lint@a1");
    String build = f.items().get(0).detail();
    assertThat(build.lines())
        .hasSize(GitHubPullRequests.LOG_LINES)
        .last()
        .isEqualTo("##[error]AppTest.adds: expected 3 but was 4");
    assertThat(build).doesNotContain("line 41\n").contains("line 42\n").doesNotContain("2026-");
    assertThat(f.items().get(1).detail()).contains("2 style problems in App.java");
    assertThat(github.requests())
        .as("the log is read where GitHub redirects to")
        .contains("GET /repos/octo/app/actions/jobs/1000/logs", "GET /_storage/jobs/1000");
  }

  @Test
  void aFailedCombinedStatusIsAFailingCheck() {
    github.open(1, "overnight/a-1", "a1").combinedStatus = "failure";

    PullRequestFeedback f = client.feedback(1);

    assertThat(f.state()).isEqualTo(PullRequestState.CHECKS_FAILING);
    assertThat(f.items())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.key()).isEqualTo("status:combined@a1");
              assertThat(i.detail()).isEqualTo("the combined commit status is failure");
            });
  }

  @Test
  void aReviewAskingForChangesComesWithItsBodyAndItsCommentsOnTheCode() {
    github.open(1, "overnight/a-1", "a1");
    github.review(1, "carol", "APPROVED", "Fine by me.");
    GitHubImitation.Review asked =
        github.review(
            1,
            "dave",
            "CHANGES_REQUESTED",
            "Please name things better.",
            new String[] {"src/App.java", "3", "`x` says nothing: call it `total`."});

    PullRequestFeedback f = client.feedback(1);

    assertThat(f.state()).isEqualTo(PullRequestState.CHANGES_REQUESTED);
    assertThat(f.items())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.kind()).isEqualTo(PullRequestFeedback.Kind.CHANGES_REQUESTED);
              assertThat(i.key()).isEqualTo("review:" + asked.id);
              assertThat(i.name()).isEqualTo("the review of dave");
              assertThat(i.detail())
                  .isEqualTo(
                      "Please name things better.\n"
                          + "- src/App.java:3: `x` says nothing: call it `total`.");
            });
  }

  @Test
  void anEndedPullRequestAsksForNothing() {
    GitHubImitation.Pull merged = github.open(1, "overnight/a-1", "a1");
    merged.state = "closed";
    merged.merged = true;
    github.actionsCheck(1, "build", "failure", "boom");

    PullRequestFeedback f = client.feedback(1);

    assertThat(f.state()).isEqualTo(PullRequestState.MERGED);
    assertThat(f.items()).isEmpty();
  }

  @Test
  void aCommentIsPostedOnThePullRequest() {
    github.open(3, "overnight/a-3", "a3");

    client.comment(3, "Overnight pushed a fix for the failing check `build`.");

    assertThat(github.commentsOn(3))
        .containsExactly("Overnight pushed a fix for the failing check `build`.");
    assertThatThrownBy(() -> client.comment(4, "nobody"))
        .isInstanceOf(OrchestrationException.class)
        .hasMessage(
            "GitHub answered POST /repos/octo/app/issues/4/comments with HTTP 404: Not Found");
  }
}
