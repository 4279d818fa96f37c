package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.QuotaReading;
import dev.overnight.api.agent.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What one kind of agent says beyond the Agent Client Protocol, and how Overnight reads it: a
 * notification telling whether the agent is logged in, token counts outside the protocol's {@code
 * usage}, and when a usage limit it hit resets. {@link #none()} reads nothing beyond the protocol;
 * every agent without a built-in profile gets it.
 *
 * <p>Immutable; the readers are stateless, thread-safe and never block.
 *
 * @param authStatus the notification in which the agent says whether it is logged in, if it sends
 *     one
 * @param promptUsage the tokens of a {@code session/prompt} result that has no protocol {@code
 *     usage}, if the agent reports them elsewhere
 * @param limitReset when the usage limit resets, from a raw {@code usage_update} that says so
 * @param quotaReading when the usage window resets and how much of it is used, from a raw {@code
 *     usage_update} that says so while the window still has room
 */
record AgentExtensions(
    Optional<AuthStatus> authStatus,
    Function<JsonNode, Optional<Usage>> promptUsage,
    Function<JsonNode, Optional<Instant>> limitReset,
    Function<JsonNode, Optional<QuotaReading>> quotaReading) {

  /** Validates the components. */
  AgentExtensions {
    Objects.requireNonNull(authStatus, "authStatus");
    Objects.requireNonNull(promptUsage, "promptUsage");
    Objects.requireNonNull(limitReset, "limitReset");
    Objects.requireNonNull(quotaReading, "quotaReading");
  }

  /**
   * A notification in which an agent says whether it is logged in.
   *
   * @param method the notification's method
   * @param notLoggedIn whether its params say that the agent is not logged in
   * @param patience how long a session without known credentials waits for the first one after
   *     {@code session/new}: the agent may send it just after answering
   */
  record AuthStatus(String method, Predicate<JsonNode> notLoggedIn, Duration patience) {
    /** Validates the components. */
    AuthStatus {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(notLoggedIn, "notLoggedIn");
      Objects.requireNonNull(patience, "patience");
    }
  }

  /** Nothing beyond the protocol. */
  static AgentExtensions none() {
    return new AgentExtensions(
        Optional.empty(),
        result -> Optional.empty(),
        update -> Optional.empty(),
        update -> Optional.empty());
  }

  /**
   * Claude Code's adapter: {@code _auth/status_update} says who it runs as, kind {@code none} being
   * a definite "not logged in" (it reports that while creating a session it cannot use); a {@code
   * usage_update}'s {@code _meta["_claude/rateLimit"]} with status {@code rejected} says when the
   * limit resets, in epoch seconds; with status {@code allowed} or {@code allowed_warning} it says
   * when the five-hour window resets and its {@code utilization} (0 to 1) before it is spent.
   */
  static AgentExtensions claudeCode() {
    return new AgentExtensions(
        Optional.of(
            new AuthStatus(
                "_auth/status_update",
                params ->
                    "none"
                        .equals(
                            Json.text(
                                params == null ? null : params.get("authStatus"), "kind", "")),
                Duration.ofSeconds(3))),
        result -> Optional.empty(),
        AgentExtensions::claudeRateLimitReset,
        AgentExtensions::claudeQuotaReading);
  }

  /**
   * Gemini CLI: a turn's tokens come in the result's {@code _meta.quota.token_count}, in
   * snake_case, instead of the protocol's {@code usage}.
   */
  static AgentExtensions geminiCli() {
    return new AgentExtensions(
        Optional.empty(),
        AgentExtensions::geminiQuotaTokens,
        update -> Optional.empty(),
        update -> Optional.empty());
  }

  private static Optional<Instant> claudeRateLimitReset(JsonNode usageUpdate) {
    JsonNode limit = usageUpdate.path("_meta").path("_claude/rateLimit");
    if ("rejected".equals(Json.text(limit, "status", "")) && limit.path("resetsAt").isNumber()) {
      return Optional.of(Instant.ofEpochSecond(limit.path("resetsAt").asLong()));
    }
    return Optional.empty();
  }

  /**
   * Only the five-hour window (or a report naming none) is read: Overnight keeps one window per
   * agent, the one a night runs into; a weekly window's reset would hide it.
   */
  private static Optional<QuotaReading> claudeQuotaReading(JsonNode usageUpdate) {
    JsonNode limit = usageUpdate.path("_meta").path("_claude/rateLimit");
    String status = Json.text(limit, "status", "");
    String window = Json.text(limit, "rateLimitType", "five_hour");
    if (!("allowed".equals(status) || "allowed_warning".equals(status))
        || !"five_hour".equals(window)
        || !limit.path("resetsAt").isNumber()) {
      return Optional.empty();
    }
    double utilization = limit.path("utilization").asDouble(0);
    return Optional.of(
        new QuotaReading(
            Instant.ofEpochSecond(limit.path("resetsAt").asLong()),
            utilization >= 0 && utilization <= 1 ? utilization : 0));
  }

  private static Optional<Usage> geminiQuotaTokens(JsonNode promptResult) {
    JsonNode quota = promptResult.path("_meta").path("quota").path("token_count");
    return Optional.of(
        new Usage(
            quota.path("input_tokens").asLong(0),
            quota.path("output_tokens").asLong(0),
            0,
            0,
            Optional.empty()));
  }
}
