package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.UsageLimitException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an agent's JSON-RPC error into the exception a caller can act on: a login to fix, a usage
 * limit to wait out, or a plain failure.
 *
 * <p>The shapes recognised are the real ones of the adapters: Claude's {@code -32603 "Internal
 * error: You've hit your limit · resets …"} with {@code data.errorKind} ({@code rate_limit}, {@code
 * billing_error}) and its synthetic usage-limit messages; Codex's {@code -32603} with {@code
 * data.codexErrorInfo} {@code usageLimitExceeded} or {@code rateLimitExceeded}; and, for any agent,
 * {@code -32000} (authentication required) and the usual provider phrases (HTTP 429, {@code
 * RESOURCE_EXHAUSTED}, "quota exceeded"). Stateless.
 */
final class ErrorClassifier {
  // Claude Agent SDK's USAGE_LIMIT_ERROR_PREFIXES (0.3.x): how its synthetic usage-limit
  // messages begin.
  private static final List<String> CLAUDE_USAGE_LIMIT_PREFIXES =
      List.of(
          "You've hit your",
          "You've reached your",
          "You're out of usage credits",
          "You're out of extra usage",
          "Your org is out of usage",
          "Your seat type doesn't include usage",
          "Your seat type doesn't include extra usage",
          "Your usage allocation has been disabled",
          "Your group's usage limit is set to $0");
  private static final Set<String> LIMIT_KINDS =
      Set.of(
          "rate_limit",
          "billing_error",
          "usageLimitExceeded",
          "rateLimitExceeded",
          "quota_exhausted",
          "rate_limited");
  private static final List<String> LIMIT_PHRASES =
      List.of(
          "usage limit",
          "rate limit",
          "rate_limit",
          "quota exceeded",
          "exceeded your current quota",
          "insufficient_quota",
          "resource_exhausted",
          "too many requests",
          "out of usage",
          "out of extra usage");
  private static final List<String> LOGIN_PHRASES =
      List.of(
          "please run /login",
          "not logged in",
          "invalid api key",
          "authentication_failed",
          "authentication required");

  private ErrorClassifier() {}

  /**
   * The exception for an error the agent answered to {@code method}.
   *
   * @param resetHint when the agent last said its limit resets, if it did
   */
  static AgentException classify(
      AgentProfile profile,
      String agentId,
      String method,
      RpcException error,
      Optional<Instant> resetHint) {
    return classify(profile, agentId, method, error, resetHint, Optional.empty());
  }

  /**
   * The exception for an error the agent answered to {@code method}; a usage limit without a {@code
   * resetHint} takes its reset from the error's words ({@link LimitResets}), read at {@code now} in
   * the machine's zone.
   *
   * @param resetHint when the agent last said its limit resets, if it did
   * @param now the time to read a reset the words name, when given
   */
  static AgentException classify(
      AgentProfile profile,
      String agentId,
      String method,
      RpcException error,
      Optional<Instant> resetHint,
      Optional<Instant> now) {
    String detail = detail(error);
    if (error.code() == RpcException.AUTH_REQUIRED) {
      return new AuthenticationRequiredException(
          profile.notLoggedIn(agentId) + " (the agent answered " + method + ": " + detail + ")",
          error);
    }
    if (isUsageLimit(error)) {
      return new UsageLimitException(
          agentId + " hit its provider's usage or rate limit: " + detail,
          resetHint.or(
              () -> now.flatMap(t -> LimitResets.fromText(detail, t, ZoneId.systemDefault()))));
    }
    // A failed authenticate, or a refusal that reads like a missing login (Claude answers "Please
    // run /login" as an internal error; expired logins are not always -32000).
    if (method.equals("authenticate") || isLoginText(detail)) {
      return new AuthenticationRequiredException(
          profile.notLoggedIn(agentId) + " (the agent answered " + method + ": " + detail + ")",
          error);
    }
    Optional<String> startup = startupFailure(error);
    if (startup.filter("bypass_root"::equals).isPresent()) {
      return new AgentException(
          agentId
              + " refuses to start as root: "
              + detail
              + ". Set IS_SANDBOX=1 in agents."
              + agentId
              + ".env if this machine is a sandbox, or run Overnight as a normal user",
          error);
    }
    return new AgentException(
        agentId + " failed " + method + ": " + detail + " (JSON-RPC error " + error.code() + ")",
        error);
  }

  /** Whether the error says a usage or rate limit was hit. */
  static boolean isUsageLimit(RpcException error) {
    Optional<JsonNode> data = error.data();
    if (data.isPresent()) {
      JsonNode d = data.get();
      for (String field : List.of("errorKind", "codexErrorInfo", "kind", "category")) {
        JsonNode v = d.get(field);
        if (v != null && v.isTextual() && LIMIT_KINDS.contains(v.asText())) {
          return true;
        }
        if (v != null && v.isObject()) {
          for (String kind : LIMIT_KINDS) {
            if (v.has(kind)) {
              return true;
            }
          }
        }
      }
    }
    String text = detailText(error);
    for (String prefix : CLAUDE_USAGE_LIMIT_PREFIXES) {
      if (text.startsWith(prefix) || text.contains(": " + prefix)) {
        return true;
      }
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (String phrase : LIMIT_PHRASES) {
      if (lower.contains(phrase)) {
        return true;
      }
    }
    return lower.matches(".*\\b429\\b.*");
  }

  private static boolean isLoginText(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String phrase : LOGIN_PHRASES) {
      if (lower.contains(phrase)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> startupFailure(RpcException error) {
    return error.data().flatMap(d -> Json.text(d, "startupFailureReason"));
  }

  /** Message plus the useful text of {@code data}. */
  private static String detailText(RpcException error) {
    StringBuilder sb = new StringBuilder(error.getMessage());
    error
        .data()
        .ifPresent(
            d -> {
              for (String field : List.of("message", "additionalDetails", "details")) {
                Json.text(d, field)
                    .filter(t -> !error.getMessage().contains(t))
                    .ifPresent(t -> sb.append(" — ").append(t));
              }
            });
    return sb.toString();
  }

  private static String detail(RpcException error) {
    return Json.preview(detailText(error), 600);
  }
}
