package dev.overnight.core.pr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.OrchestrationException;
import dev.overnight.core.json.OvernightJson;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The issues of one GitHub repository over the REST API, with a token from the environment or
 * through the user's logged-in {@code gh} ({@link #throughGh}): github.com, or a GitHub Enterprise
 * Server host ({@code https://HOST/api/v3}). Lists the open issues carrying a label (pull requests
 * left out), reads one issue, and comments on one.
 *
 * <p>The labelled list is asked with {@code If-None-Match} and the ETag of the last answer, so an
 * unchanged list costs GitHub's rate limit nothing; it is one page of the {@value #PAGE} most
 * recently updated issues, which bounds each poll.
 *
 * <p>Thread-safe. Every call blocks on the network, each request bounded by the timeout; a refused
 * connection, a timeout or an error status is an {@link OrchestrationException} naming the request
 * (never the token).
 *
 * @since 0.1.0
 */
public final class GitHubIssues {
  /** The most issues one poll reads: one page, GitHub's largest. */
  public static final int PAGE = 100;

  private final URI api;
  private final String owner;
  private final String repo;
  private final GitHubTransport transport;

  private String lastQuery; // guarded by this
  private String lastEtag; // guarded by this
  private List<GitHubIssue> lastList = List.of(); // guarded by this

  private GitHubIssues(
      URI api, String owner, String repo, Optional<String> token, Duration timeout) {
    this.api = URI.create(api.toString().replaceAll("/+$", ""));
    this.owner = Objects.requireNonNull(owner, "owner");
    this.repo = Objects.requireNonNull(repo, "repo");
    this.transport =
        new HttpTransport(
            this.api,
            Objects.requireNonNull(token, "token"),
            timeout,
            HttpClient.newBuilder().connectTimeout(timeout).build());
  }

  private GitHubIssues(GitHubIssues c, GitHubTransport transport) {
    this.api = c.api;
    this.owner = c.owner;
    this.repo = c.repo;
    this.transport = transport;
  }

  /**
   * A client of the repository {@code owner/repo} at {@code api} ({@link
   * GitHubPullRequests#PUBLIC_API}, or {@code https://HOST/api/v3} for an Enterprise host),
   * authenticated with {@code token} when given.
   */
  public static GitHubIssues of(
      URI api, String owner, String repo, Optional<String> token, Duration timeout) {
    return new GitHubIssues(api, owner, repo, token, timeout);
  }

  /**
   * The client of the repository a git remote URL names, with the token of the environment as
   * {@link GitHubPullRequests#forRemote} chooses it. Empty when the URL names no repository on a
   * host.
   */
  public static Optional<GitHubIssues> forRemote(
      String remoteUrl, Map<String, String> environment, Duration timeout) {
    return GitHubRest.Remote.parse(remoteUrl, environment)
        .map(r -> new GitHubIssues(r.api(), r.owner(), r.repo(), r.token(), timeout));
  }

  /**
   * The client of the repository a remote URL names: over HTTP when {@code environment} has a token
   * for its host (as {@link #forRemote}), else through {@code gh} when gh has a login for that host
   * ({@link GhCli#loggedInTo}), else over HTTP without a token. Empty when the URL names no
   * repository on a host.
   */
  public static Optional<GitHubIssues> forRemote(
      String remoteUrl, Map<String, String> environment, Duration timeout, GhCli gh) {
    return GitHubRest.Remote.parse(remoteUrl, environment)
        .map(
            r -> {
              GitHubIssues http =
                  new GitHubIssues(r.api(), r.owner(), r.repo(), r.token(), timeout);
              return r.token().isPresent() || !gh.loggedInTo(http.api)
                  ? http
                  : http.throughGh(gh, timeout);
            });
  }

  /**
   * This client, its requests, reads and writes alike, sent through {@code gh} as {@code gh api}
   * with gh's own login instead of over HTTP, each bounded by {@code timeout}. No token of ours is
   * used.
   */
  public GitHubIssues throughGh(GhCli gh, Duration timeout) {
    return new GitHubIssues(this, new GhApiTransport(gh, api, timeout));
  }

  /** Whether requests go through {@code gh api} (with {@code gh}'s own login). */
  public boolean throughGh() {
    return transport.throughGh();
  }

  /** The repository, {@code owner/repo}. */
  public String repository() {
    return owner + "/" + repo;
  }

  /**
   * The open issues carrying {@code label}, the most recently updated first, at most {@value
   * #PAGE}; pull requests (which GitHub lists as issues too) are left out. An answer of "not
   * modified" gives the list of the last call.
   */
  public synchronized List<GitHubIssue> openLabelled(String label) {
    String query =
        "/issues?state=open&sort=updated&direction=desc&per_page="
            + PAGE
            + "&labels="
            + URLEncoder.encode(label, StandardCharsets.UTF_8);
    Optional<String> etag =
        query.equals(lastQuery) ? Optional.ofNullable(lastEtag) : Optional.empty();
    GitHubTransport.Reply r = send("GET", query, etag, Optional.empty());
    if (r.status() == 304 && etag.isPresent()) {
      return lastList;
    }
    JsonNode body = ok(r, "GET", query, 200);
    List<GitHubIssue> issues = new ArrayList<>();
    for (JsonNode item : body) {
      if (!item.has("pull_request")) {
        issues.add(issue(item));
      }
    }
    lastQuery = query;
    lastEtag = r.header("ETag").orElse(null);
    lastList = List.copyOf(issues);
    return lastList;
  }

  /** Issue {@code number}; empty when there is none (or it was deleted). */
  public Optional<GitHubIssue> issue(long number) {
    String path = "/issues/" + number;
    GitHubTransport.Reply r = send("GET", path, Optional.empty(), Optional.empty());
    if (r.status() == 404 || r.status() == 410) {
      return Optional.empty();
    }
    return Optional.of(issue(ok(r, "GET", path, 200)));
  }

  /** The bodies of issue {@code number}'s comments, oldest first (the first {@value #PAGE}). */
  public List<String> comments(long number) {
    String path = "/issues/" + number + "/comments?per_page=" + PAGE;
    JsonNode list = ok(send("GET", path, Optional.empty(), Optional.empty()), "GET", path, 200);
    List<String> bodies = new ArrayList<>();
    list.forEach(c -> bodies.add(c.path("body").asText("")));
    return bodies;
  }

  /** Comments {@code text} on issue {@code number}; returns the comment's page. */
  public URI comment(long number, String text) {
    String path = "/issues/" + number + "/comments";
    String json = OvernightJson.write(OvernightJson.object().put("body", text));
    JsonNode created =
        ok(send("POST", path, Optional.empty(), Optional.of(json)), "POST", path, 201);
    return URI.create(created.path("html_url").asText(api + "/repos/" + repository() + path));
  }

  private static GitHubIssue issue(JsonNode item) {
    List<String> labels = new ArrayList<>();
    for (JsonNode l : item.path("labels")) {
      // GitHub's description allows a label as a bare name or as an object.
      labels.add(l.isTextual() ? l.asText() : l.path("name").asText(""));
    }
    return new GitHubIssue(
        item.path("id").asLong(),
        item.path("number").asLong(),
        item.path("title").asText(""),
        item.path("body").isTextual() ? item.path("body").asText() : "",
        URI.create(item.path("html_url").asText("")),
        labels,
        "open".equals(item.path("state").asText()));
  }

  private GitHubTransport.Reply send(
      String method, String pathAndQuery, Optional<String> etag, Optional<String> json) {
    Map<String, String> headers = etag.map(e -> Map.of("If-None-Match", e)).orElse(Map.of());
    return transport.send(method, "/repos/" + owner + "/" + repo + pathAndQuery, headers, json);
  }

  private JsonNode ok(GitHubTransport.Reply r, String method, String path, int expected) {
    String what = method + " " + pathOnly(path);
    if (r.status() != expected) {
      throw transport.refused(what, r);
    }
    try {
      return OvernightJson.read(r.body());
    } catch (IllegalArgumentException e) {
      throw new OrchestrationException("GitHub answered " + what + " with something not JSON", e);
    }
  }

  private String pathOnly(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    return "/repos/" + owner + "/" + repo + (q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
  }

  @Override
  public String toString() {
    return "GitHub issues of "
        + repository()
        + " at "
        + api.getHost()
        + (transport.throughGh() ? " through gh" : "");
  }
}
