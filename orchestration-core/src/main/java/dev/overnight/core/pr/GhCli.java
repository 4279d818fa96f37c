package dev.overnight.core.pr;

import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The GitHub CLI, {@code gh}, as Overnight sends GitHub's REST requests through it ({@code gh api})
 * when the environment holds no token: the program, the folder it runs in, and what is added to the
 * environment it inherits ({@code GH_HOST}, {@code GH_CONFIG_DIR}, {@code SSL_CERT_FILE}, ...; a
 * {@code null} value removes a variable). {@code gh} then uses its own login.
 *
 * <p>Thread-safe. {@link #loggedInTo} starts {@code gh} once per host and remembers the answer; it
 * blocks for at most ten seconds.
 *
 * @since 0.1.0
 */
public final class GhCli {
  /** The variables that hold a token for GitHub; what Overnight was not given is kept from gh. */
  private static final List<String> TOKENS =
      List.of("GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN");

  /** A page of check runs can be large; gh's whole answer is the JSON read. */
  static final int OUTPUT_BYTES = 8 * 1024 * 1024;

  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(10);

  private final String command;
  private final Path directory;
  private final Map<String, String> environment;
  private final CommandRunner runner;
  private final Map<String, Boolean> loggedIn = new ConcurrentHashMap<>();

  private GhCli(
      String command, Path directory, Map<String, String> environment, CommandRunner runner) {
    this.command = Objects.requireNonNull(command, "command");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.environment = java.util.Collections.unmodifiableMap(new HashMap<>(environment));
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  /**
   * {@code command} run in {@code directory} with {@code environment} added to the inherited
   * environment (a {@code null} value removes a variable).
   */
  public static GhCli of(String command, Path directory, Map<String, String> environment) {
    return new GhCli(command, directory, environment, CommandRunner.system(OUTPUT_BYTES));
  }

  /**
   * {@code gh} from {@code PATH}, run in {@code directory} seeing {@code environment} as Overnight
   * does: a token variable Overnight's environment lacks is removed from gh's too, so gh answers
   * with its own login only.
   */
  public static GhCli forEnvironment(Path directory, Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    TOKENS.forEach(t -> env.putIfAbsent(t, null));
    return of("gh", directory, env);
  }

  /**
   * Whether {@code gh} can be started and has a login for the host of {@code api} ({@link
   * GitHubPullRequests#PUBLIC_API}, or an Enterprise host's {@code https://HOST/api/v3}): its
   * stored login or a token in its environment, as {@code gh auth token} finds it, without asking
   * the host. What gh prints (the token) is read by no one.
   */
  public boolean loggedInTo(URI api) {
    // gh asks the host GH_HOST names, when it names one.
    String host = namesHost() ? environment.get("GH_HOST") : hostOf(api);
    return loggedIn.computeIfAbsent(
        host,
        h -> {
          CommandResult r =
              runner.run(
                  List.of(command, "auth", "token", "--hostname", h),
                  directory,
                  withQuietPrompts(),
                  LOGIN_TIMEOUT);
          return r.succeeded();
        });
  }

  /** The host gh names {@code api} by: {@code github.com}, or the Enterprise host with its port. */
  static String hostOf(URI api) {
    return api.equals(GitHubPullRequests.PUBLIC_API) ? "github.com" : api.getAuthority();
  }

  String command() {
    return command;
  }

  Path directory() {
    return directory;
  }

  CommandRunner runner() {
    return runner;
  }

  /** What is added to gh's environment, prompts and update notices turned off first. */
  Map<String, String> withQuietPrompts() {
    Map<String, String> env = new HashMap<>();
    env.put("GH_PROMPT_DISABLED", "1");
    env.put("GH_NO_UPDATE_NOTIFIER", "1");
    env.putAll(environment);
    return env;
  }

  /** Whether the environment names the host gh asks ({@code GH_HOST}). */
  boolean namesHost() {
    return environment.get("GH_HOST") != null;
  }

  @Override
  public String toString() {
    return command + " in " + directory;
  }
}
