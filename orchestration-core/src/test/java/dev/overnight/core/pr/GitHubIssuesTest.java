package dev.overnight.core.pr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.OrchestrationException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Labelled issues read and commented on over GitHub's REST API, against the local imitation whose
 * every response conforms to GitHub's own OpenAPI description.
 */
class GitHubIssuesTest {
  private static final String TOKEN = "ghp_test-token-0123456789";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private GitHubImitation github;
  private GitHubIssues client;

  @BeforeEach
  void anImitation() throws Exception {
    github = new GitHubImitation(TOKEN);
    client = GitHubIssues.of(github.api(), "octo", "app", Optional.of(TOKEN), TIMEOUT);
  }

  @AfterEach
  void everyResponseConformedToGitHubsDescription() {
    assertThat(github.violations()).isEmpty();
    github.close();
  }

  @Test
  void listsOnlyOpenIssuesWithTheLabelAndNoPullRequests() {
    github.issue(1, "Flaky login test", "It fails one run in ten.", "overnight", "bug");
    github.issue(2, "Not for tonight", "", "bug");
    github.issue(3, "Closed already", "", "overnight").state = "closed";
    github.pullAsIssue(4, "A labelled pull request", "overnight");

    List<GitHubIssue> issues = client.openLabelled("overnight");

    assertThat(issues).extracting(GitHubIssue::number).containsExactly(1L);
    GitHubIssue first = issues.get(0);
    assertThat(first.title()).isEqualTo("Flaky login test");
    assertThat(first.body()).isEqualTo("It fails one run in ten.");
    assertThat(first.labels()).containsExactly("overnight", "bug");
    assertThat(first.link()).isEqualTo(URI.create("https://github.com/octo/app/issues/1"));
    assertThat(first.open()).isTrue();
    assertThat(first.id()).isPositive();
  }

  @Test
  void anUnchangedListIsAskedWithItsEtagAndAnsweredNotModified() {
    github.issue(1, "One", "", "overnight");

    List<GitHubIssue> first = client.openLabelled("overnight");
    List<GitHubIssue> again = client.openLabelled("overnight");
    github.issue(2, "Two", "", "overnight");
    List<GitHubIssue> changed = client.openLabelled("overnight");

    assertThat(again).isEqualTo(first);
    assertThat(github.notModified()).hasSize(1);
    assertThat(changed).extracting(GitHubIssue::number).containsExactly(2L, 1L);
  }

  @Test
  void readsOneIssueAndNoneWhenItDoesNotExist() {
    github.issue(7, "Seven", "body", "overnight").labels.remove("overnight");

    assertThat(client.issue(7)).get().satisfies(i -> assertThat(i.labelled("overnight")).isFalse());
    assertThat(client.issue(8)).isEmpty();
  }

  @Test
  void commentsOnAnIssueAndReadsTheCommentsBack() {
    GitHubImitation.Issue issue = github.issue(5, "Five", "", "overnight");

    URI page = client.comment(5, "Overnight opened https://github.com/octo/app/pull/9");

    assertThat(issue.comments)
        .containsExactly("Overnight opened https://github.com/octo/app/pull/9");
    assertThat(page.toString()).startsWith("https://github.com/octo/app/issues/5#issuecomment-");
    assertThat(client.comments(5)).containsExactly(issue.comments.get(0));
  }

  @Test
  void aMissingTokenIsNamedInTheError() {
    GitHubIssues anonymous =
        GitHubIssues.of(github.api(), "octo", "app", Optional.empty(), TIMEOUT);

    assertThatThrownBy(() -> anonymous.openLabelled("overnight"))
        .isInstanceOf(OrchestrationException.class)
        .hasMessageContaining("GET /repos/octo/app/issues with HTTP 401")
        .hasMessageContaining("set GH_TOKEN")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void aRemoteNamesItsRepositoryAndTheEnvironmentItsToken() {
    Optional<GitHubIssues> dotCom =
        GitHubIssues.forRemote("git@github.com:acme/shop.git", Map.of("GH_TOKEN", "t"), TIMEOUT);
    Optional<GitHubIssues> enterprise =
        GitHubIssues.forRemote("https://git.acme.example/team/tool", Map.of(), TIMEOUT);

    assertThat(dotCom).get().hasToString("GitHub issues of acme/shop at api.github.com");
    assertThat(enterprise).get().hasToString("GitHub issues of team/tool at git.acme.example");
    assertThat(GitHubIssues.forRemote("/srv/git/local.git", Map.of(), TIMEOUT)).isEmpty();
  }
}
