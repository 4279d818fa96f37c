package dev.overnight.core.pr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.OrchestrationException;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the pull request whose head is a branch, and its state.
 *
 * <p>Implementations are thread-safe and may block on the network.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PullRequestLookup {

  /**
   * The state of the newest pull request whose head is {@code branch}; empty when there is none.
   *
   * @throws OrchestrationException when the forge cannot be asked (the tool missing, logged out,
   *     offline), saying why
   */
  Optional<PullRequestState> stateOf(String branch);

  /**
   * Asks GitHub through the {@code gh} command, run in {@code workspace} (its repository, its
   * login), each call bounded to 30 seconds. Open pull requests read as {@link
   * PullRequestState#OPEN}.
   */
  static PullRequestLookup gh(Path workspace, CommandRunner runner) {
    return branch -> {
      CommandResult r =
          runner.run(
              List.of(
                  "gh", "pr", "list", "--head", branch, "--state", "all", "--json", "state",
                  "--limit", "1"),
              workspace,
              Map.of("GH_PROMPT_DISABLED", "1"),
              Duration.ofSeconds(30));
      if (!r.succeeded()) {
        String why = r.failure().isEmpty() ? r.tail(3).strip() : r.failure();
        throw new OrchestrationException("gh pr list failed: " + why);
      }
      JsonNode list = OvernightJson.read(r.stdout().isBlank() ? "[]" : r.stdout());
      if (list.isEmpty()) {
        return Optional.empty();
      }
      String state = list.get(0).path("state").asText("").toUpperCase(Locale.ROOT);
      return Optional.of(
          switch (state) {
            case "MERGED" -> PullRequestState.MERGED;
            case "CLOSED" -> PullRequestState.CLOSED;
            default -> PullRequestState.OPEN;
          });
    };
  }
}
