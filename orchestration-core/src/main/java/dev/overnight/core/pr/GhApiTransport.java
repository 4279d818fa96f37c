package dev.overnight.core.pr;

import dev.overnight.api.OrchestrationException;
import dev.overnight.core.process.CommandResult;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * GitHub's REST API through {@code gh api}, with {@code gh}'s own login: every method, with the
 * answer's status and headers ({@code gh api --include}) so a "not modified" or "not found" reads
 * as it does over HTTP. A request body goes through a temporary file ({@code --input}), deleted
 * when gh is done. The host is the client's unless gh's environment names another ({@code
 * GH_HOST}).
 *
 * <p>Thread-safe; each request starts {@code gh} and waits for it, bounded by the timeout.
 */
final class GhApiTransport implements GitHubTransport {
  private final GhCli gh;
  private final URI api;
  private final Duration timeout;

  GhApiTransport(GhCli gh, URI api, Duration timeout) {
    this.gh = Objects.requireNonNull(gh, "gh");
    this.api = Objects.requireNonNull(api, "api");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public Reply send(
      String method, String pathAndQuery, Map<String, String> headers, Optional<String> json) {
    String what = GitHubTransport.what(method, pathAndQuery);
    List<String> command = new ArrayList<>(List.of(gh.command(), "api"));
    if (!gh.namesHost() && !api.equals(GitHubPullRequests.PUBLIC_API)) {
      // An Enterprise host is named as gh names it: with its port, when it has one.
      command.addAll(List.of("--hostname", GhCli.hostOf(api)));
    }
    command.addAll(
        List.of(
            "--include",
            "-X",
            method,
            "-H",
            "Accept: application/vnd.github+json",
            "-H",
            "X-GitHub-Api-Version: 2022-11-28"));
    headers.forEach((k, v) -> command.addAll(List.of("-H", k + ": " + v)));
    Path input = null;
    try {
      if (json.isPresent()) {
        input = Files.createTempFile("overnight-gh-", ".json");
        Files.writeString(input, json.get(), StandardCharsets.UTF_8);
        command.addAll(
            List.of("-H", "Content-Type: application/json", "--input", input.toString()));
      }
      command.add(pathAndQuery);
      CommandResult r = gh.runner().run(command, gh.directory(), gh.withQuietPrompts(), timeout);
      Optional<Reply> reply = parse(r.stdout(), complaint(r));
      if (reply.isPresent()) {
        return reply.get();
      }
      throw new OrchestrationException(
          "gh api " + what + " failed: " + (r.succeeded() ? "no HTTP answer" : complaint(r)));
    } catch (IOException e) {
      throw new OrchestrationException(
          "gh api " + what + " failed: could not write the request's body: " + e, e);
    } finally {
      if (input != null) {
        try {
          Files.deleteIfExists(input);
        } catch (IOException e) {
          // The folder for temporary files is cleaned by the system anyway.
        }
      }
    }
  }

  /**
   * gh's answer as {@code --include} prints it: the status line, the headers, an empty line, the
   * body. Empty when it printed no status line (it could not ask).
   */
  static Optional<Reply> parse(String stdout, String note) {
    if (!stdout.startsWith("HTTP/")) {
      return Optional.empty();
    }
    int lineEnd = stdout.indexOf('\n');
    String statusLine = (lineEnd < 0 ? stdout : stdout.substring(0, lineEnd)).strip();
    String[] parts = statusLine.split(" ", 3);
    int status;
    try {
      status = Integer.parseInt(parts.length > 1 ? parts[1] : "");
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    Map<String, String> headers = new HashMap<>();
    int at = lineEnd < 0 ? stdout.length() : lineEnd + 1;
    while (at < stdout.length()) {
      int end = stdout.indexOf('\n', at);
      String line = (end < 0 ? stdout.substring(at) : stdout.substring(at, end)).strip();
      at = end < 0 ? stdout.length() : end + 1;
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    return Optional.of(new Reply(status, headers, stdout.substring(at), note));
  }

  /** gh's own words when it failed: its last line on standard error, else how it ended. */
  private static String complaint(CommandResult r) {
    if (r.succeeded()) {
      return "";
    }
    if (!r.failure().isEmpty()) {
      return r.failure();
    }
    return r.stderr().isBlank()
        ? r.describe()
        : r.stderr().strip().lines().reduce((a, b) -> b).orElse("");
  }

  @Override
  public OrchestrationException refused(String what, Reply reply) {
    return new OrchestrationException(
        "gh api "
            + what
            + " failed: "
            + (reply.note().isBlank() ? "HTTP " + reply.status() : reply.note()));
  }

  @Override
  public boolean authenticated() {
    return false;
  }

  @Override
  public boolean throughGh() {
    return true;
  }
}
