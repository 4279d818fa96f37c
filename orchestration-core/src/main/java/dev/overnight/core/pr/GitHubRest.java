package dev.overnight.core.pr;

import dev.overnight.api.OrchestrationException;
import dev.overnight.core.json.OvernightJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Overnight's GitHub REST clients share: finding the repository and token a git remote names,
 * the request headers GitHub asks for, and one wording for GitHub's refusals — so pull requests and
 * issues read the same remote the same way and fail with the same advice.
 */
final class GitHubRest {
  private static final Pattern REMOTE =
      Pattern.compile(
          "^(?:https?://(?:[^@/]+@)?|ssh://(?:[^@/]+@)?|[^@/]+@)([^/:]+)(?::\\d+)?[:/]([^/]+)/([^/]+?)(?:\\.git)?/?$");

  private GitHubRest() {}

  /**
   * The repository a git remote URL names and its API: github.com's with {@code GH_TOKEN} or {@code
   * GITHUB_TOKEN}, any other host's {@code /api/v3} with {@code GH_ENTERPRISE_TOKEN} or {@code
   * GITHUB_ENTERPRISE_TOKEN}.
   *
   * @param api the REST API's root
   * @param owner the repository's owner
   * @param repo the repository's name
   * @param token the environment's token for that host, when set
   */
  record Remote(URI api, String owner, String repo, Optional<String> token) {

    /** The remote {@code remoteUrl} names; empty when it names no repository on a host. */
    static Optional<Remote> parse(String remoteUrl, Map<String, String> environment) {
      Matcher m = REMOTE.matcher(remoteUrl.strip());
      if (!m.matches()) {
        return Optional.empty();
      }
      String host = m.group(1).toLowerCase(Locale.ROOT);
      boolean dotCom = host.equals("github.com");
      URI api = dotCom ? GitHubPullRequests.PUBLIC_API : URI.create("https://" + host + "/api/v3");
      Optional<String> token =
          dotCom
              ? firstSet(environment, "GH_TOKEN", "GITHUB_TOKEN")
              : firstSet(environment, "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN");
      return Optional.of(new Remote(api, m.group(2), m.group(3), token));
    }
  }

  private static Optional<String> firstSet(Map<String, String> env, String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isBlank()) {
        return Optional.of(v.strip());
      }
    }
    return Optional.empty();
  }

  /** A request to {@code uri} with GitHub's media type, API version and the token when given. */
  static HttpRequest.Builder request(URI uri, Duration timeout, Optional<String> token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("User-Agent", "Overnight");
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  /** Sends {@code request}; a connection that fails or is interrupted says {@code what} it was. */
  static HttpResponse<String> send(HttpClient http, HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new OrchestrationException("GitHub did not answer " + what + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestrationException("interrupted while asking GitHub " + what);
    }
  }

  /**
   * GitHub's refusal of {@code what} as one error: the status, GitHub's own message when it sent
   * one, and where a token goes when none was sent and GitHub wanted one.
   */
  static OrchestrationException refused(String what, int status, String body, boolean tokenSent) {
    String message = "";
    try {
      message = OvernightJson.read(body).path("message").asText("");
    } catch (IllegalArgumentException e) {
      // Not GitHub's JSON error: the status says enough.
    }
    return new OrchestrationException(
        "GitHub answered "
            + what
            + " with HTTP "
            + status
            + (message.isEmpty() ? "" : ": " + message)
            + (status == 401 && !tokenSent
                ? " (set GH_TOKEN, or GH_ENTERPRISE_TOKEN for an Enterprise host)"
                : ""));
  }
}
