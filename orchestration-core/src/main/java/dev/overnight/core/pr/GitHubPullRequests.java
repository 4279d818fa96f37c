package dev.overnight.core.pr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.OrchestrationException;
import dev.overnight.core.json.OvernightJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads pull requests' states from GitHub's REST API, and comments on them: github.com, or a GitHub
 * Enterprise Server host ({@code https://HOST/api/v3}). Two ways to reach it, for reads and writes
 * alike: over HTTP with a token from the environment ({@link #of}, {@link #forRemote}), or through
 * the user's logged-in {@code gh} as {@code gh api} ({@link #throughGh}), which needs no token in
 * the environment and reaches an Enterprise host the way {@code gh} does ({@code GH_HOST}, its own
 * login or {@code GH_ENTERPRISE_TOKEN}, {@code SSL_CERT_FILE}). Both ask the same REST requests:
 * {@code gh pr}'s own commands use GraphQL, which not every server answers.
 *
 * <p>An open pull request is {@link PullRequestState#CHECKS_FAILING} when a check run on its head
 * concluded {@code failure}, {@code timed_out}, {@code cancelled} or {@code action_required}, or
 * its combined status is {@code failure} or {@code error}; otherwise {@link
 * PullRequestState#CHANGES_REQUESTED} when a reviewer's latest review asks for changes; otherwise
 * {@link PullRequestState#OPEN}. Failing checks come first: a change that does not build is fixed
 * before a review is answered.
 *
 * <p>For follow-ups ({@link #feedback}) a failing check run of GitHub Actions is read with the end
 * of its job's log (fetched from where GitHub redirects, without the token), any other with its
 * output; a failing commit status with its description and link; a review asking for changes with
 * its body and its comments on the code.
 *
 * <p>Thread-safe. Every call blocks on the network, each request bounded by the timeout; a refused
 * connection, a timeout or an error status is an {@link OrchestrationException} naming the request
 * (never the token).
 *
 * @since 0.1.0
 */
public final class GitHubPullRequests implements PullRequestLookup, PullRequestForge, ChecksLookup {
  /** github.com's API. */
  public static final URI PUBLIC_API = URI.create("https://api.github.com");

  private static final Set<String> FAILED_CHECKS =
      Set.of("failure", "timed_out", "cancelled", "action_required");

  private final URI api;
  private final String owner;
  private final String repo;
  private final Duration timeout;
  private final HttpClient http;
  private final GitHubTransport transport;

  private GitHubPullRequests(
      URI api, String owner, String repo, Optional<String> token, Duration timeout) {
    String base = api.toString().replaceAll("/+$", "");
    this.api = URI.create(base);
    this.owner = Objects.requireNonNull(owner, "owner");
    this.repo = Objects.requireNonNull(repo, "repo");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.transport =
        new HttpTransport(this.api, Objects.requireNonNull(token, "token"), timeout, http);
  }

  private GitHubPullRequests(GitHubPullRequests c, GhCli gh) {
    this.api = c.api;
    this.owner = c.owner;
    this.repo = c.repo;
    this.timeout = c.timeout;
    this.http = c.http;
    this.transport = new GhApiTransport(gh, c.api, c.timeout);
  }

  /**
   * A client of the repository {@code owner/repo} at {@code api} ({@link #PUBLIC_API}, or {@code
   * https://HOST/api/v3} for an Enterprise host), authenticated with {@code token} when given.
   */
  public static GitHubPullRequests of(
      URI api, String owner, String repo, Optional<String> token, Duration timeout) {
    return new GitHubPullRequests(api, owner, repo, token, timeout);
  }

  /**
   * The client of the repository a git remote URL names ({@code https://github.com/o/r.git}, {@code
   * git@github.com:o/r.git}, an Enterprise host's): github.com's API with {@code GH_TOKEN} or
   * {@code GITHUB_TOKEN}, any other host's {@code /api/v3} with {@code GH_ENTERPRISE_TOKEN} or
   * {@code GITHUB_ENTERPRISE_TOKEN}. Empty when the URL names no repository on a host.
   */
  public static Optional<GitHubPullRequests> forRemote(
      String remoteUrl, Map<String, String> environment, Duration timeout) {
    return GitHubRest.Remote.parse(remoteUrl, environment)
        .map(r -> new GitHubPullRequests(r.api(), r.owner(), r.repo(), r.token(), timeout));
  }

  /**
   * This client, its requests sent as {@code gh api} instead of over HTTP: REST through the user's
   * logged-in {@code gh} ({@code ghCommand}, run in {@code directory} with {@code environment}
   * added to the inherited one). The host is this client's unless the environment's {@code GH_HOST}
   * names another, as {@code gh} decides. No token of ours is used.
   */
  public GitHubPullRequests throughGh(
      String ghCommand, Path directory, Map<String, String> environment) {
    return throughGh(GhCli.of(ghCommand, directory, environment));
  }

  /**
   * This client, its requests, reads and writes alike, sent through {@code gh} as {@code gh api}
   * with gh's own login instead of over HTTP. No token of ours is used.
   */
  public GitHubPullRequests throughGh(GhCli gh) {
    return new GitHubPullRequests(this, Objects.requireNonNull(gh, "gh"));
  }

  /**
   * The client of the repository a remote URL names: over HTTP when {@code environment} has a token
   * for its host (as {@link #forRemote}), else through {@code gh} when gh has a login for that host
   * ({@link GhCli#loggedInTo}), else over HTTP without a token ({@link #signedIn} tells which).
   * Empty when the URL names no repository on a host.
   */
  public static Optional<GitHubPullRequests> forRemote(
      String remoteUrl, Map<String, String> environment, Duration timeout, GhCli gh) {
    return forRemote(remoteUrl, environment, timeout)
        .map(c -> c.authenticated() || !gh.loggedInTo(c.api) ? c : c.throughGh(gh));
  }

  /** Whether requests are signed in: with a token over HTTP, or through gh's login. */
  public boolean signedIn() {
    return authenticated() || throughGh();
  }

  /** Whether requests carry a token. */
  public boolean authenticated() {
    return transport.authenticated();
  }

  /** Whether requests go through {@code gh api} (with {@code gh}'s own login). */
  public boolean throughGh() {
    return transport.throughGh();
  }

  /** The repository, {@code owner/repo}. */
  public String repository() {
    return owner + "/" + repo;
  }

  @Override
  public Optional<PullRequestState> stateOf(String branch) {
    JsonNode list =
        get(
            "/pulls?state=all&per_page=1&head="
                + URLEncoder.encode(owner + ":" + branch, StandardCharsets.UTF_8));
    if (!list.isArray() || list.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(state(list.get(0)));
  }

  /** The state of pull request {@code number}. */
  public PullRequestState state(long number) {
    return state(get("/pulls/" + number));
  }

  private PullRequestState state(JsonNode pr) {
    if (!pr.path("merged_at").isNull() && !pr.path("merged_at").isMissingNode()) {
      return PullRequestState.MERGED;
    }
    if ("closed".equals(pr.path("state").asText())) {
      return PullRequestState.CLOSED;
    }
    String sha = pr.path("head").path("sha").asText();
    if (checksFailing(sha)) {
      return PullRequestState.CHECKS_FAILING;
    }
    if (changesRequested(pr.path("number").asLong())) {
      return PullRequestState.CHANGES_REQUESTED;
    }
    return PullRequestState.OPEN;
  }

  private boolean checksFailing(String sha) {
    JsonNode runs = get("/commits/" + sha + "/check-runs?per_page=100").path("check_runs");
    for (JsonNode run : runs) {
      if (FAILED_CHECKS.contains(run.path("conclusion").asText(""))) {
        return true;
      }
    }
    String combined = get("/commits/" + sha + "/status").path("state").asText("");
    return combined.equals("failure") || combined.equals("error");
  }

  /** Whether some reviewer's latest approving or blocking review asks for changes. */
  private boolean changesRequested(long number) {
    Map<String, String> latest = new HashMap<>();
    for (JsonNode review : get("/pulls/" + number + "/reviews?per_page=100")) {
      String state = review.path("state").asText("");
      // Comments do not change a reviewer's verdict; a dismissal withdraws it.
      if (state.equals("APPROVED")
          || state.equals("CHANGES_REQUESTED")
          || state.equals("DISMISSED")) {
        latest.put(review.path("user").path("login").asText(""), state);
      }
    }
    return latest.containsValue("CHANGES_REQUESTED");
  }

  /** At most this many lines of a failing job's log go into a follow-up. */
  static final int LOG_LINES = 60;

  /** At most this many characters of one check's or review's text go into a follow-up. */
  static final int DETAIL_CHARS = 4000;

  private static final Pattern LOG_TIMESTAMP =
      Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z ");

  @Override
  public PullRequestFeedback feedback(long number) {
    JsonNode pr = get("/pulls/" + number);
    String sha = pr.path("head").path("sha").asText();
    PullRequestState state =
        !pr.path("merged_at").isNull() && !pr.path("merged_at").isMissingNode()
            ? PullRequestState.MERGED
            : "closed".equals(pr.path("state").asText()) ? PullRequestState.CLOSED : null;
    if (state != null) {
      return new PullRequestFeedback(number, state, sha, List.of());
    }
    List<PullRequestFeedback.Item> items = new ArrayList<>(failingChecks(sha));
    boolean checksFailing = !items.isEmpty();
    List<PullRequestFeedback.Item> reviews = changeRequests(number);
    items.addAll(reviews);
    return new PullRequestFeedback(
        number,
        checksFailing
            ? PullRequestState.CHECKS_FAILING
            : reviews.isEmpty() ? PullRequestState.OPEN : PullRequestState.CHANGES_REQUESTED,
        sha,
        items);
  }

  private List<PullRequestFeedback.Item> failingChecks(String sha) {
    List<PullRequestFeedback.Item> items = new ArrayList<>();
    for (JsonNode run : get("/commits/" + sha + "/check-runs?per_page=100").path("check_runs")) {
      if (!FAILED_CHECKS.contains(run.path("conclusion").asText(""))) {
        continue;
      }
      String name = run.path("name").asText("check " + run.path("id").asText());
      String detail = "";
      if ("github-actions".equals(run.path("app").path("slug").asText(""))) {
        detail = jobLog(run.path("id").asLong()).orElse("");
      }
      if (detail.isBlank()) {
        JsonNode out = run.path("output");
        detail =
            String.join(
                    "\n",
                    out.path("title").asText(""),
                    out.path("summary").asText(""),
                    out.path("text").asText(""))
                .strip();
      }
      items.add(
          new PullRequestFeedback.Item(
              PullRequestFeedback.Kind.FAILING_CHECK,
              "check:" + name + "@" + sha,
              name,
              tail(detail, DETAIL_CHARS)));
    }
    JsonNode combined = get("/commits/" + sha + "/status");
    int before = items.size();
    for (JsonNode status : combined.path("statuses")) {
      String s = status.path("state").asText("");
      if (s.equals("failure") || s.equals("error")) {
        String context = status.path("context").asText("status");
        String detail =
            (status.path("description").asText("")
                    + (status.path("target_url").isTextual()
                        ? "\n" + status.path("target_url").asText()
                        : ""))
                .strip();
        items.add(
            new PullRequestFeedback.Item(
                PullRequestFeedback.Kind.FAILING_CHECK,
                "status:" + context + "@" + sha,
                context,
                tail(detail, DETAIL_CHARS)));
      }
    }
    String state = combined.path("state").asText("");
    if (items.size() == before && (state.equals("failure") || state.equals("error"))) {
      // Failing as a whole though no status listed here failed (they are paginated): still a
      // failure to answer, without details.
      items.add(
          new PullRequestFeedback.Item(
              PullRequestFeedback.Kind.FAILING_CHECK,
              "status:combined@" + sha,
              "the commit status",
              "the combined commit status is " + state));
    }
    return items;
  }

  /**
   * The end of a GitHub Actions job's log: GitHub answers with a redirect to short-lived storage,
   * which is asked without the token (it is not GitHub's to see). Empty when it cannot be had.
   */
  private Optional<String> jobLog(long jobId) {
    String path = "/repos/" + owner + "/" + repo + "/actions/jobs/" + jobId + "/logs";
    try {
      GitHubTransport.Reply r = transport.send("GET", path, Map.of(), Optional.empty());
      String text;
      if (r.status() == 302 || r.status() == 301 || r.status() == 307) {
        Optional<String> location = r.header("Location");
        if (location.isEmpty()) {
          return Optional.empty();
        }
        HttpResponse<String> log =
            http.send(
                HttpRequest.newBuilder(URI.create(api + path).resolve(location.get()))
                    .timeout(timeout)
                    .GET()
                    .build(),
                BodyHandlers.ofString());
        if (log.statusCode() != 200) {
          return Optional.empty();
        }
        text = log.body();
      } else if (r.status() == 200) {
        text = r.body();
      } else {
        return Optional.empty();
      }
      List<String> lines =
          text.lines().map(l -> LOG_TIMESTAMP.matcher(l).replaceFirst("")).toList();
      return Optional.of(
          String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size())));
    } catch (IOException | IllegalArgumentException | OrchestrationException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Every reviewer's latest review when it asks for changes, with its comments on the code. */
  private List<PullRequestFeedback.Item> changeRequests(long number) {
    Map<String, JsonNode> latest = new LinkedHashMap<>();
    for (JsonNode review : get("/pulls/" + number + "/reviews?per_page=100")) {
      String state = review.path("state").asText("");
      if (state.equals("APPROVED")
          || state.equals("CHANGES_REQUESTED")
          || state.equals("DISMISSED")) {
        latest.put(review.path("user").path("login").asText(""), review);
      }
    }
    List<JsonNode> asking =
        latest.values().stream()
            .filter(r -> r.path("state").asText("").equals("CHANGES_REQUESTED"))
            .toList();
    if (asking.isEmpty()) {
      return List.of();
    }
    JsonNode comments = get("/pulls/" + number + "/comments?per_page=100");
    List<PullRequestFeedback.Item> items = new ArrayList<>();
    for (JsonNode review : asking) {
      long id = review.path("id").asLong();
      StringBuilder detail = new StringBuilder(review.path("body").asText("").strip());
      for (JsonNode c : comments) {
        if (c.path("pull_request_review_id").asLong(-1) == id) {
          detail
              .append(detail.length() == 0 ? "" : "\n")
              .append("- ")
              .append(c.path("path").asText(""));
          if (c.path("line").isNumber()) {
            detail.append(':').append(c.path("line").asLong());
          }
          detail.append(": ").append(c.path("body").asText("").strip());
        }
      }
      String login = review.path("user").path("login").asText("a reviewer");
      items.add(
          new PullRequestFeedback.Item(
              PullRequestFeedback.Kind.CHANGES_REQUESTED,
              "review:" + id,
              "the review of " + login,
              tail(detail.toString(), DETAIL_CHARS)));
    }
    return items;
  }

  @Override
  public void comment(long number, String body) {
    String json = OvernightJson.write(OvernightJson.object().put("body", body));
    send("POST", "/issues/" + number + "/comments", Optional.of(json), 201);
  }

  private static String tail(String text, int max) {
    return text.length() <= max ? text : "…" + text.substring(text.length() - max);
  }

  /**
   * Sends {@code method} to {@code path} of this repository ({@code /pulls/1}), expecting status
   * {@code expected}; the answer's JSON.
   */
  private JsonNode send(String method, String path, Optional<String> json, int expected) {
    String full = "/repos/" + owner + "/" + repo + path;
    String what = GitHubTransport.what(method, full);
    GitHubTransport.Reply r = transport.send(method, full, Map.of(), json);
    if (r.status() != expected) {
      throw transport.refused(what, r);
    }
    try {
      return OvernightJson.read(r.body());
    } catch (IllegalArgumentException e) {
      throw new OrchestrationException("GitHub answered " + what + " with something not JSON", e);
    }
  }

  private JsonNode get(String path) {
    return send("GET", path, Optional.empty(), 200);
  }

  /**
   * Where the checks on the head of the newest pull request of {@code branch} stand: check runs and
   * commit statuses together. A failure decides at once, even while other checks run; no check at
   * all reads as pending (CI may not have started yet). Empty when the branch has no pull request.
   */
  @Override
  public Optional<ChecksOutcome> checksOf(String branch) {
    JsonNode list =
        get(
            "/pulls?state=all&per_page=1&head="
                + URLEncoder.encode(owner + ":" + branch, StandardCharsets.UTF_8));
    if (!list.isArray() || list.isEmpty()) {
      return Optional.empty();
    }
    String sha = list.get(0).path("head").path("sha").asText();
    boolean running = false;
    int seen = 0;
    for (JsonNode run : get("/commits/" + sha + "/check-runs?per_page=100").path("check_runs")) {
      seen++;
      if (FAILED_CHECKS.contains(run.path("conclusion").asText(""))) {
        JsonNode output = run.path("output");
        Optional<String> said = firstText(output.path("summary"), output.path("title"));
        return Optional.of(ChecksOutcome.failed(run.path("name").asText("a check"), said));
      }
      running |= !"completed".equals(run.path("status").asText());
    }
    JsonNode combined = get("/commits/" + sha + "/status");
    String overall = combined.path("state").asText("");
    for (JsonNode status : combined.path("statuses")) {
      seen++;
      String state = status.path("state").asText("");
      if (state.equals("failure") || state.equals("error")) {
        return Optional.of(
            ChecksOutcome.failed(
                status.path("context").asText("a status"), firstText(status.path("description"))));
      }
      running |= state.equals("pending");
    }
    if (overall.equals("failure") || overall.equals("error")) {
      return Optional.of(ChecksOutcome.failed("the commit status", Optional.of(overall)));
    }
    return Optional.of(running || seen == 0 ? ChecksOutcome.pending() : ChecksOutcome.passed());
  }

  private static Optional<String> firstText(JsonNode... nodes) {
    for (JsonNode n : nodes) {
      if (n.isTextual() && !n.asText().isBlank()) {
        return Optional.of(n.asText().strip());
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "GitHub "
        + repository()
        + " at "
        + api.getHost()
        + (transport.throughGh() ? " through gh" : "");
  }
}
