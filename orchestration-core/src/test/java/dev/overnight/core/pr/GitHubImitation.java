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
    final String sha;
    String state = "open";
    boolean merged;
    final List<String> checkConclusions = new ArrayList<>();
    String combinedStatus = "success";
    final List<String[]> reviews = new ArrayList<>(); // login, state
    final List<String> comments = new ArrayList<>();
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

  private final GitHubDescription description = GitHubDescription.get();
  private final HttpServer server;
  private final String token;
  private final Map<Long, Pull> pulls = new LinkedHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

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
      if (token != null && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, "{\"message\":\"Bad credentials\",\"status\":\"401\"}");
        return;
      }
      if (exchange.getRequestMethod().equals("POST") && post(exchange, path)) {
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
