package dev.overnight.core.pr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.overnight.core.json.OvernightJson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local imitation of GitHub's REST API on 127.0.0.1, for what a pull request's state needs:
 * pulls, their reviews, check runs and combined status on their head, and issue comments. Each
 * response is built from the example GitHub publishes in its OpenAPI description and validated
 * against that description's schema for the operation before it is sent; a response that does not
 * conform is answered with 500 and kept in {@link #violations()}, so a test against it fails.
 *
 * <p>Requests are authenticated like GitHub's: with a token given, a request without {@code
 * Authorization: Bearer <token>} is answered 401.
 */
final class GitHubImitation implements AutoCloseable {
  /** One pull request as the imitation keeps it. */
  static final class Pull {
    final long number;
    final String branch;
    String sha;
    String state = "open";
    boolean merged;
    final List<String> checkConclusions = new ArrayList<>();
    String combinedStatus = "success";
    final List<String[]> reviews = new ArrayList<>(); // login, state
    final List<String> comments = new ArrayList<>();
    final List<CheckRun> checkRuns = new ArrayList<>();
    final List<Review> changeReviews = new ArrayList<>();
    String title = "";
    String body = "";
    String base = "main";
    boolean draft;

    Pull(long number, String branch, String sha) {
      this.number = number;
      this.branch = branch;
      this.sha = sha;
    }
  }

  /**
   * A check run on one commit of a pull request, with what it printed: a GitHub Actions job serves
   * its log from {@code /actions/jobs/{id}/logs} (a redirect to storage), another app only its
   * output.
   */
  static final class CheckRun {
    final String sha;
    final String name;
    final String conclusion;
    final String app;
    final String log;
    final String summary;
    long id;

    CheckRun(String sha, String name, String conclusion, String app, String log, String summary) {
      this.sha = sha;
      this.name = name;
      this.conclusion = conclusion;
      this.app = app;
      this.log = log;
      this.summary = summary;
    }
  }

  /** A review with a body and comments on lines of code ({@code path, line, body}). */
  static final class Review {
    final String login;
    final String state;
    final String body;
    final List<String[]> comments = new ArrayList<>();
    long id;

    Review(String login, String state, String body) {
      this.login = login;
      this.state = state;
      this.body = body;
    }
  }

  private static final Pattern PULLS = Pattern.compile("^/repos/([^/]+)/([^/]+)/pulls$");
  private static final Pattern PULL = Pattern.compile("^/repos/([^/]+)/([^/]+)/pulls/(\\d+)$");
  private static final Pattern REVIEWS =
      Pattern.compile("^/repos/([^/]+)/([^/]+)/pulls/(\\d+)/reviews$");
  private static final Pattern CHECK_RUNS =
      Pattern.compile("^/repos/([^/]+)/([^/]+)/commits/([^/]+)/check-runs$");
  private static final Pattern STATUS =
      Pattern.compile("^/repos/([^/]+)/([^/]+)/commits/([^/]+)/status$");
  private static final Pattern COMMENTS =
      Pattern.compile("^/repos/([^/]+)/([^/]+)/issues/(\\d+)/comments$");
  private static final Pattern REVIEW_COMMENTS =
      Pattern.compile("^/repos/([^/]+)/([^/]+)/pulls/(\\d+)/comments$");
  private static final Pattern JOB_LOGS =
      Pattern.compile("^/repos/([^/]+)/([^/]+)/actions/jobs/(\\d+)/logs$");
  private static final Pattern LOG_BLOB = Pattern.compile("^/_storage/jobs/(\\d+)$");

  private final GitHubDescription description = GitHubDescription.get();
  private final HttpServer server;
  private final String token;
  private final Map<Long, Pull> pulls = new LinkedHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<CheckRun> allRuns = new ArrayList<>();
  private long nextReviewId = 100;
  private Path pushedTo;

  GitHubImitation(String token) throws IOException {
    this.token = token;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The API's base, as {@link GitHubPullRequests#of} takes it. */
  URI api() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  synchronized Pull open(long number, String branch, String sha) {
    Pull p = new Pull(number, branch, sha);
    pulls.put(number, p);
    return p;
  }

  /** Responses that did not conform to GitHub's description: none, or a test fails. */
  List<String> violations() {
    return List.copyOf(violations);
  }

  /** Every request's method and path, in order. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    String path = withoutEnterprisePrefix(uri.getPath());
    requests.add(exchange.getRequestMethod() + " " + path);
    try {
      if (handleMore(exchange, path)) {
        return;
      }
      if (token != null && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, "{\"message\":\"Bad credentials\",\"status\":\"401\"}");
        return;
      }
      if (exchange.getRequestMethod().equals("POST") && post(exchange, path)) {
        return;
      }
      if (handleIssues(exchange, uri, path)) {
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 404, "{\"message\":\"Not Found\",\"status\":\"404\"}");
        return;
      }
      Matcher m;
      String template;
      JsonNode body;
      synchronized (this) {
        if ((m = PULLS.matcher(path)).matches()) {
          template = "/repos/{owner}/{repo}/pulls";
          body = pullList(query(uri).getOrDefault("head", ""), m.group(1));
        } else if ((m = PULL.matcher(path)).matches()) {
          template = "/repos/{owner}/{repo}/pulls/{pull_number}";
          body = pull(Long.parseLong(m.group(3)));
        } else if ((m = REVIEWS.matcher(path)).matches()) {
          template = "/repos/{owner}/{repo}/pulls/{pull_number}/reviews";
          body = reviews(Long.parseLong(m.group(3)));
        } else if ((m = CHECK_RUNS.matcher(path)).matches()) {
          template = "/repos/{owner}/{repo}/commits/{ref}/check-runs";
          body = checkRuns(m.group(3));
        } else if ((m = STATUS.matcher(path)).matches()) {
          template = "/repos/{owner}/{repo}/commits/{ref}/status";
          body = status(m.group(3));
        } else if ((m = COMMENTS.matcher(path)).matches()) {
          template = "/repos/{owner}/{repo}/issues/{issue_number}/comments";
          body = comments(Long.parseLong(m.group(3)));
        } else {
          send(exchange, 404, "{\"message\":\"Not Found\",\"status\":\"404\"}");
          return;
        }
      }
      if (body == null) {
        send(exchange, 404, "{\"message\":\"Not Found\",\"status\":\"404\"}");
        return;
      }
      String json = OvernightJson.write(body);
      List<String> errors = description.errors(template, json);
      if (!errors.isEmpty()) {
        violations.add("GET " + template + ": " + errors);
        send(exchange, 500, "{\"message\":\"the imitation broke GitHub's description\"}");
        return;
      }
      send(exchange, 200, json);
    } catch (RuntimeException e) {
      violations.add(path + ": " + e);
      send(exchange, 500, "{\"message\":\"" + e.getClass().getSimpleName() + "\"}");
    }
  }

  private JsonNode pullList(String head, String owner) {
    ArrayNode list = OvernightJson.array();
    // GitHub lists the newest first.
    List<Pull> newestFirst = new ArrayList<>(pulls.values());
    java.util.Collections.reverse(newestFirst);
    for (Pull p : newestFirst) {
      if (head.isEmpty() || head.equals(owner + ":" + p.branch)) {
        ObjectNode item = (ObjectNode) description.example("pull-request-simple-items").get(0);
        list.add(fill(item, p));
      }
    }
    return list;
  }

  private JsonNode pull(long number) {
    Pull p = pulls.get(number);
    if (p == null) {
      return null;
    }
    ObjectNode pr = fill((ObjectNode) description.example("pull-request"), p);
    pr.put("merged", p.merged);
    return pr;
  }

  private ObjectNode fill(ObjectNode pr, Pull p) {
    // GitHub's own example lists a team without the "type" its schema requires; Overnight's pull
    // requests ask no team anyway.
    pr.putArray("requested_teams");
    pr.put("number", p.number);
    pr.put("state", p.state);
    pr.put("title", "Overnight: " + p.branch);
    if (p.state.equals("closed")) {
      pr.put("closed_at", "2026-11-25T07:00:00Z");
    } else {
      pr.putNull("closed_at");
    }
    if (p.merged) {
      pr.put("merged_at", "2026-11-25T07:00:00Z");
    } else {
      pr.putNull("merged_at");
    }
    ((ObjectNode) pr.get("head")).put("ref", p.branch).put("sha", p.sha);
    return pr;
  }

  private JsonNode reviews(long number) {
    Pull p = pulls.get(number);
    if (p == null) {
      return null;
    }
    ArrayNode list = OvernightJson.array();
    long id = 1;
    for (String[] r : p.reviews) {
      ObjectNode review = (ObjectNode) description.example("pull-request-review-items").get(0);
      review.put("id", id++);
      review.put("state", r[1]);
      ((ObjectNode) review.get("user")).put("login", r[0]);
      review.put("commit_id", p.sha);
      list.add(review);
    }
    moreReviews(p, list);
    return list;
  }

  private JsonNode checkRuns(String sha) {
    Pull p = bySha(sha);
    ObjectNode page = (ObjectNode) description.example("check-run-paginated");
    ArrayNode runs = page.putArray("check_runs");
    long id = 1;
    for (String conclusion : p == null ? List.<String>of() : p.checkConclusions) {
      ObjectNode run = (ObjectNode) description.example("check-run");
      run.put("id", id++);
      run.put("head_sha", sha);
      run.put("status", "completed");
      run.put("conclusion", conclusion);
      runs.add(run);
    }
    moreCheckRuns(sha, runs);
    id = namedCheckRuns(sha, runs, id);
    page.put("total_count", runs.size());
    return page;
  }

  private JsonNode status(String sha) {
    Pull p = bySha(sha);
    ObjectNode combined = (ObjectNode) description.example("combined-commit-status");
    combined.put("sha", sha);
    combined.put("state", p == null ? "pending" : p.combinedStatus);
    return combined;
  }

  private JsonNode comments(long number) {
    Pull p = pulls.get(number);
    if (p == null) {
      return null;
    }
    ArrayNode list = OvernightJson.array();
    long id = 1;
    for (String text : p.comments) {
      ObjectNode c = (ObjectNode) description.example("issue-comment-items").get(0);
      c.put("id", id++);
      c.put("body", text);
      list.add(c);
    }
    return list;
  }

  /** One issue as the imitation keeps it; a pull request is listed among issues too. */
  static final class Issue {
    final long number;
    final long id;
    final String title;
    final String body;
    final boolean pullRequest;
    String state = "open";
    final List<String> labels = new CopyOnWriteArrayList<>();
    final List<String> comments = new CopyOnWriteArrayList<>();

    Issue(long number, String title, String body, boolean pullRequest) {
      this.number = number;
      this.id = 9_000_000L + number;
      this.title = title;
      this.body = body;
      this.pullRequest = pullRequest;
    }
  }

  private static final Pattern ISSUES = Pattern.compile("^/repos/([^/]+)/([^/]+)/issues$");
  private static final Pattern ISSUE = Pattern.compile("^/repos/([^/]+)/([^/]+)/issues/(\\d+)$");

  private final Map<Long, Issue> issues = new LinkedHashMap<>();
  private final List<String> notModified = new CopyOnWriteArrayList<>();

  /** Files an open issue with these labels. */
  synchronized Issue issue(long number, String title, String body, String... labels) {
    Issue i = new Issue(number, title, body, false);
    i.labels.addAll(List.of(labels));
    issues.put(number, i);
    return i;
  }

  /** Lists a pull request among the issues, as GitHub does, with these labels. */
  synchronized Issue pullAsIssue(long number, String title, String... labels) {
    Issue i = new Issue(number, title, "", true);
    i.labels.addAll(List.of(labels));
    issues.put(number, i);
    return i;
  }

  /** The comments on issue {@code number}, oldest first. */
  synchronized List<String> issueComments(long number) {
    return List.copyOf(issues.get(number).comments);
  }

  /** Takes {@code label} off issue {@code number}, as a person would. */
  synchronized void unlabel(long number, String label) {
    issues.get(number).labels.remove(label);
  }

  /** Closes issue {@code number}, as a person would. */
  synchronized void close(long number) {
    issues.get(number).state = "closed";
  }

  /** A named check run that runs for a number of reads, then concludes. */
  static final class Check {
    final String name;
    final String conclusion;
    final String summary;
    int readsWhileRunning;

    Check(String name, int readsWhileRunning, String conclusion, String summary) {
      this.name = name;
      this.readsWhileRunning = readsWhileRunning;
      this.conclusion = conclusion;
      this.summary = summary;
    }
  }

  private final Map<String, List<Check>> namedChecks = new LinkedHashMap<>();

  /**
   * Adds a check run named {@code name} on {@code pull}'s head: in progress for the first {@code
   * readsWhileRunning} reads, then completed with {@code conclusion} and {@code summary}.
   */
  synchronized Check check(
      Pull pull, String name, int readsWhileRunning, String conclusion, String summary) {
    Check c = new Check(name, readsWhileRunning, conclusion, summary);
    namedChecks.computeIfAbsent(pull.sha, k -> new ArrayList<>()).add(c);
    return c;
  }

  private long namedCheckRuns(String sha, ArrayNode runs, long firstId) {
    long id = firstId;
    for (Check c : namedChecks.getOrDefault(sha, List.of())) {
      ObjectNode run = (ObjectNode) description.example("check-run");
      run.put("id", id++);
      run.put("head_sha", sha);
      run.put("name", c.name);
      if (c.readsWhileRunning > 0) {
        c.readsWhileRunning--;
        run.put("status", "in_progress");
        run.putNull("conclusion");
        run.putNull("completed_at");
      } else {
        run.put("status", "completed");
        run.put("conclusion", c.conclusion);
        ((ObjectNode) run.get("output")).put("title", c.name).put("summary", c.summary);
      }
      runs.add(run);
    }
    return id;
  }

  /** The requests answered "304 Not Modified", by path. */
  List<String> notModified() {
    return List.copyOf(notModified);
  }

  /**
   * Answers the issue endpoints: the list (labels and state filtered, with an ETag and {@code
   * If-None-Match}), one issue, and its comments, read and posted. False when the request is not
   * one of them.
   */
  private boolean handleIssues(HttpExchange exchange, URI uri, String path) throws IOException {
    String method = exchange.getRequestMethod();
    Matcher m;
    String template;
    int status = 200;
    JsonNode body;
    synchronized (this) {
      if ((m = ISSUES.matcher(path)).matches() && method.equals("GET")) {
        template = "/repos/{owner}/{repo}/issues";
        body = issueList(query(uri));
      } else if ((m = ISSUE.matcher(path)).matches() && method.equals("GET")) {
        template = "/repos/{owner}/{repo}/issues/{issue_number}";
        Issue i = issues.get(Long.parseLong(m.group(3)));
        body = i == null ? null : issueJson(i);
      } else if ((m = COMMENTS.matcher(path)).matches()
          && issues.containsKey(Long.parseLong(m.group(3)))) {
        template = "/repos/{owner}/{repo}/issues/{issue_number}/comments";
        Issue i = issues.get(Long.parseLong(m.group(3)));
        if (method.equals("POST")) {
          String request =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          List<String> wrong = description.requestErrors("POST", template, request);
          if (!wrong.isEmpty()) {
            violations.add("POST request " + template + ": " + wrong);
            send(exchange, 422, "{\"message\":\"Validation Failed\",\"status\":\"422\"}");
            return true;
          }
          String text = OvernightJson.read(request).path("body").asText();
          i.comments.add(text);
          Pull pull = pulls.get(i.number);
          if (pull != null) {
            pull.comments.add(text);
          }
          status = 201;
          body = commentJson(i, i.comments.size(), text);
        } else if (method.equals("GET")) {
          ArrayNode list = OvernightJson.array();
          for (int n = 0; n < i.comments.size(); n++) {
            list.add(commentJson(i, n + 1, i.comments.get(n)));
          }
          body = list;
        } else {
          return false;
        }
      } else {
        return false;
      }
    }
    if (body == null) {
      send(exchange, 404, "{\"message\":\"Not Found\",\"status\":\"404\"}");
      return true;
    }
    String json = OvernightJson.write(body);
    List<String> errors = description.errors(method, template, status, json);
    if (!errors.isEmpty()) {
      violations.add(method + " " + template + ": " + errors);
      send(exchange, 500, "{\"message\":\"the imitation broke GitHub's description\"}");
      return true;
    }
    String etag = "\"" + Integer.toHexString(json.hashCode()) + "\"";
    if (method.equals("GET")
        && template.equals("/repos/{owner}/{repo}/issues")
        && etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
      notModified.add(path);
      exchange.getResponseHeaders().set("ETag", etag);
      exchange.sendResponseHeaders(304, -1);
      exchange.close();
      return true;
    }
    exchange.getResponseHeaders().set("ETag", etag);
    send(exchange, status, json);
    return true;
  }

  private JsonNode issueList(Map<String, String> query) {
    String state = query.getOrDefault("state", "open");
    List<String> wanted =
        query.getOrDefault("labels", "").isEmpty()
            ? List.of()
            : List.of(query.get("labels").split(","));
    int perPage = Integer.parseInt(query.getOrDefault("per_page", "30"));
    ArrayNode list = OvernightJson.array();
    List<Issue> newestFirst = new ArrayList<>(issues.values());
    java.util.Collections.reverse(newestFirst);
    for (Issue i : newestFirst) {
      if ((state.equals("all") || state.equals(i.state))
          && i.labels.containsAll(wanted)
          && list.size() < perPage) {
        list.add(issueJson(i));
      }
    }
    return list;
  }

  private ObjectNode issueJson(Issue i) {
    ObjectNode item = (ObjectNode) description.example("issue");
    item.put("id", i.id);
    item.put("number", i.number);
    item.put("title", i.title);
    item.put("body", i.body);
    item.put("state", i.state);
    item.put("html_url", "https://github.com/octo/app/issues/" + i.number);
    item.put("comments", i.comments.size());
    if (i.state.equals("closed")) {
      item.put("closed_at", "2026-11-25T07:00:00Z");
    } else {
      item.putNull("closed_at");
      item.putNull("state_reason");
    }
    ArrayNode labels = item.putArray("labels");
    long labelId = 1;
    for (String name : i.labels) {
      ObjectNode l = (ObjectNode) description.example("issue").get("labels").get(0).deepCopy();
      l.put("id", labelId++);
      l.put("name", name);
      labels.add(l);
    }
    if (i.pullRequest) {
      String pr = "https://github.com/octo/app/pull/" + i.number;
      item.putObject("pull_request")
          .put("url", "https://api.github.com/repos/octo/app/pulls/" + i.number)
          .put("html_url", pr)
          .put("diff_url", pr + ".diff")
          .put("patch_url", pr + ".patch");
    } else {
      item.remove("pull_request");
    }
    return item;
  }

  private ObjectNode commentJson(Issue i, long n, String text) {
    ObjectNode c = (ObjectNode) description.example("issue-comment");
    c.put("id", i.number * 1000 + n);
    c.put("body", text);
    c.put("html_url", "https://github.com/octo/app/issues/" + i.number + "#issuecomment-" + n);
    return c;
  }

  private Pull bySha(String sha) {
    return pulls.values().stream().filter(p -> p.sha.equals(sha)).findFirst().orElse(null);
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    }
    return q;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  // Follow-ups: check runs with logs, reviews with comments, comments posted, pushes followed.

  /**
   * Makes each pull request's head follow its branch in the bare repository {@code bare}, as
   * GitHub's does when someone pushes.
   */
  synchronized void followPushesTo(Path bare) {
    pushedTo = bare;
  }

  /** A GitHub Actions check run on pull request {@code number}'s head that printed {@code log}. */
  synchronized CheckRun actionsCheck(long number, String name, String conclusion, String log) {
    return addRun(pulls.get(number), name, conclusion, "github-actions", log, "");
  }

  /** Another app's check run on pull request {@code number}'s head, with only an output summary. */
  synchronized CheckRun appCheck(long number, String name, String conclusion, String summary) {
    return addRun(pulls.get(number), name, conclusion, "octoapp", "", summary);
  }

  private CheckRun addRun(
      Pull p, String name, String conclusion, String app, String log, String summary) {
    refreshHeads();
    CheckRun run = new CheckRun(p.sha, name, conclusion, app, log, summary);
    run.id = 1000 + allRuns.size();
    allRuns.add(run);
    p.checkRuns.add(run);
    return run;
  }

  /** A review of {@code login} with a body and comments ({@code path, line, body}) on the code. */
  synchronized Review review(
      long number, String login, String state, String body, String[]... comments) {
    Review r = new Review(login, state, body);
    r.id = nextReviewId++;
    r.comments.addAll(List.of(comments));
    pulls.get(number).changeReviews.add(r);
    return r;
  }

  /** The comments on pull request {@code number}, oldest first. */
  synchronized List<String> commentsOn(long number) {
    return List.copyOf(pulls.get(number).comments);
  }

  /** The head commit pull request {@code number} points at now. */
  synchronized String head(long number) {
    refreshHeads();
    return pulls.get(number).sha;
  }

  /** Merges pull request {@code number}. */
  synchronized void merge(long number) {
    Pull p = pulls.get(number);
    p.state = "closed";
    p.merged = true;
  }

  /** Closes pull request {@code number} without merging it. */
  synchronized void closeUnmerged(long number) {
    pulls.get(number).state = "closed";
  }

  private void refreshHeads() {
    if (pushedTo == null) {
      return;
    }
    for (Pull p : pulls.values()) {
      dev.overnight.core.process.CommandResult r =
          new dev.overnight.core.worktree.Git(pushedTo)
              .run("rev-parse", "--verify", "-q", "refs/heads/" + p.branch);
      if (r.succeeded()) {
        p.sha = r.stdout().strip();
      }
    }
  }

  private void moreCheckRuns(String sha, ArrayNode runs) {
    for (CheckRun c : allRuns) {
      if (!c.sha.equals(sha)) {
        continue;
      }
      ObjectNode run = (ObjectNode) description.example("check-run");
      run.put("id", c.id);
      run.put("name", c.name);
      run.put("head_sha", sha);
      run.put("status", "completed");
      run.put("conclusion", c.conclusion);
      ((ObjectNode) run.get("app")).put("slug", c.app);
      ObjectNode output = (ObjectNode) run.get("output");
      output.put("title", c.name + " " + c.conclusion);
      output.put("summary", c.summary);
      output.putNull("text");
      runs.add(run);
    }
  }

  private void moreReviews(Pull p, ArrayNode list) {
    for (Review r : p.changeReviews) {
      ObjectNode review = (ObjectNode) description.example("pull-request-review-items").get(0);
      review.put("id", r.id);
      review.put("state", r.state);
      review.put("body", r.body);
      ((ObjectNode) review.get("user")).put("login", r.login);
      review.put("commit_id", p.sha);
      list.add(review);
    }
  }

  /**
   * Answers what the original dispatch does not: a posted comment, review comments, a job's log (a
   * redirect to storage, whose request must carry no token); false for everything else.
   */
  private boolean handleMore(HttpExchange exchange, String path) throws IOException {
    Matcher m;
    synchronized (this) {
      refreshHeads();
    }
    if ((m = LOG_BLOB.matcher(path)).matches()) {
      if (exchange.getRequestHeaders().containsKey("Authorization")) {
        violations.add("the job log's storage was sent GitHub's token");
      }
      String log;
      synchronized (this) {
        long id = Long.parseLong(m.group(1));
        log = allRuns.stream().filter(c -> c.id == id).map(c -> c.log).findFirst().orElse(null);
      }
      if (log == null) {
        send(exchange, 404, "");
        return true;
      }
      byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
      return true;
    }
    boolean post = exchange.getRequestMethod().equals("POST");
    Matcher comments = COMMENTS.matcher(path);
    Matcher reviewComments = REVIEW_COMMENTS.matcher(path);
    Matcher logs = JOB_LOGS.matcher(path);
    boolean issueComment;
    synchronized (this) {
      // A comment on an issue the imitation holds is answered with the issues' own endpoints.
      issueComment = comments.matches() && issues.containsKey(Long.parseLong(comments.group(3)));
    }
    boolean mine =
        (post && comments.matches() && !issueComment)
            || (!post && (reviewComments.matches() || logs.matches()));
    if (!mine) {
      return false;
    }
    if (token != null && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
      send(exchange, 401, "{\"message\":\"Bad credentials\",\"status\":\"401\"}");
      return true;
    }
    if (logs.matches()) {
      String template = "/repos/{owner}/{repo}/actions/jobs/{job_id}/logs";
      if (!description.declares("GET", template, 302)) {
        violations.add("GET " + template + " does not redirect in GitHub's description");
      }
      exchange.getResponseHeaders().set("Location", api() + "/_storage/jobs/" + logs.group(3));
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
      return true;
    }
    String template;
    int status;
    JsonNode body;
    synchronized (this) {
      if (post) {
        template = "/repos/{owner}/{repo}/issues/{issue_number}/comments";
        status = 201;
        Pull p = pulls.get(Long.parseLong(comments.group(3)));
        String text =
            OvernightJson.read(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                .path("body")
                .asText("");
        if (p == null) {
          body = null;
        } else {
          p.comments.add(text);
          ObjectNode c = (ObjectNode) description.example("issue-comment");
          c.put("id", p.comments.size());
          c.put("body", text);
          body = c;
        }
      } else {
        template = "/repos/{owner}/{repo}/pulls/{pull_number}/comments";
        status = 200;
        Pull p = pulls.get(Long.parseLong(reviewComments.group(3)));
        body = p == null ? null : reviewComments(p);
      }
    }
    if (body == null) {
      send(exchange, 404, "{\"message\":\"Not Found\",\"status\":\"404\"}");
      return true;
    }
    String json = OvernightJson.write(body);
    List<String> errors = description.errors(post ? "POST" : "GET", template, status, json);
    if (!errors.isEmpty()) {
      violations.add((post ? "POST " : "GET ") + template + ": " + errors);
      send(exchange, 500, "{\"message\":\"the imitation broke GitHub's description\"}");
      return true;
    }
    send(exchange, status, json);
    return true;
  }

  private JsonNode reviewComments(Pull p) {
    ArrayNode list = OvernightJson.array();
    long id = 1;
    for (Review r : p.changeReviews) {
      for (String[] c : r.comments) {
        ObjectNode item =
            (ObjectNode) description.example("pull-request-review-comment-items").get(0);
        item.put("id", id++);
        item.put("pull_request_review_id", r.id);
        item.put("path", c[0]);
        item.put("line", Long.parseLong(c[1]));
        item.put("body", c[2]);
        item.put("commit_id", p.sha);
        list.add(item);
      }
    }
    return list;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ------------------------------------------------------------------ over HTTPS, as gh reaches it

  /**
   * The imitation over HTTPS with {@code tls}, answering under {@code /api/v3} too, as a GitHub
   * Enterprise host does: what the real {@code gh} reaches with {@code GH_HOST}.
   */
  GitHubImitation(String token, com.sun.net.httpserver.HttpsConfigurator tls) throws IOException {
    this.token = token;
    com.sun.net.httpserver.HttpsServer https =
        com.sun.net.httpserver.HttpsServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(tls);
    server = https;
    server.createContext("/", this::handle);
    server.start();
  }

  /** The host {@code gh} is given as {@code GH_HOST}: {@code 127.0.0.1:PORT}. */
  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The pull requests opened through {@code POST /repos/{owner}/{repo}/pulls}, by number. */
  synchronized Map<Long, Pull> pulls() {
    return Map.copyOf(pulls);
  }

  /** The head commit a pull request opened over {@code POST} gets: the branch's SHA-1, as hex. */
  static String headSha(String branch) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-1")
                  .digest(branch.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String withoutEnterprisePrefix(String path) {
    return path.startsWith("/api/v3/") ? path.substring("/api/v3".length()) : path;
  }

  /**
   * GitHub takes a token as {@code Bearer TOKEN} or, as {@code gh} sends it, {@code token TOKEN}.
   */
  private boolean authorized(String header) {
    return ("Bearer " + token).equals(header) || ("token " + token).equals(header);
  }

  /** Answers a {@code POST} it knows; false for any other. */
  private boolean post(HttpExchange exchange, String path) throws IOException {
    Matcher m = PULLS.matcher(path);
    if (!m.matches()) {
      return false;
    }
    JsonNode request =
        OvernightJson.read(
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    for (String field : List.of("title", "head", "base")) {
      if (!request.path(field).isTextual()) {
        send(
            exchange,
            422,
            "{\"message\":\"Validation Failed\",\"errors\":[{\"field\":\""
                + field
                + "\",\"code\":\"missing_field\"}]}");
        return true;
      }
    }
    ObjectNode pr;
    synchronized (this) {
      long number = pulls.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
      Pull p = open(number, request.get("head").asText(), headSha(request.get("head").asText()));
      p.title = request.get("title").asText();
      p.body = request.path("body").asText("");
      p.draft = request.path("draft").asBoolean(false);
      p.base = request.get("base").asText();
      pr = fill((ObjectNode) description.example("pull-request"), p);
      pr.put("title", p.title);
      pr.put("body", p.body);
      pr.put("draft", p.draft);
      ((ObjectNode) pr.get("base")).put("ref", p.base);
      pr.put(
          "html_url",
          "https://" + host() + "/" + m.group(1) + "/" + m.group(2) + "/pull/" + number);
    }
    String json = OvernightJson.write(pr);
    List<String> errors = description.errors("post", 201, "/repos/{owner}/{repo}/pulls", json);
    if (!errors.isEmpty()) {
      violations.add("POST /repos/{owner}/{repo}/pulls: " + errors);
      send(exchange, 500, "{\"message\":\"the imitation broke GitHub's description\"}");
      return true;
    }
    send(exchange, 201, json);
    return true;
  }
}
