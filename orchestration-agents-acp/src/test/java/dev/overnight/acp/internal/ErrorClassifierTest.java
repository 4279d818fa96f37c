package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.UsageLimitException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The error shapes of the real adapters, as their sources produce them. */
class ErrorClassifierTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static AgentException classify(String profile, String method, String errorJson) {
    return classify(profile, method, errorJson, Optional.empty());
  }

  private static AgentException classify(
      String profile, String method, String errorJson, Optional<Instant> hint) {
    try {
      JsonNode error = MAPPER.readTree(errorJson);
      return ErrorClassifier.classify(
          AgentProfile.forId(profile), profile, method, RpcException.fromWire(error), hint);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void claudeUsageLimits() {
    Instant reset = Instant.parse("2026-11-26T03:00:00Z");
    // claude-agent-acp: RequestError.internalError({errorKind}, result text).
    AgentException e =
        classify(
            "claude-code",
            "session/prompt",
            "{\"code\":-32603,\"message\":\"Internal error: You've hit your limit · resets 3am"
                + " (UTC)\",\"data\":{\"errorKind\":\"rate_limit\"}}",
            Optional.of(reset));
    assertThat(e).isInstanceOf(UsageLimitException.class).hasMessageContaining("resets 3am");
    assertThat(((UsageLimitException) e).resetAt()).contains(reset);
    assertThat(
            classify(
                "claude-code",
                "session/prompt",
                "{\"code\":-32603,\"message\":\"Internal error: Credit balance is too low\","
                    + "\"data\":{\"errorKind\":\"billing_error\"}}"))
        .isInstanceOf(UsageLimitException.class);
    // The same synthetic message without data, as older adapters send it.
    assertThat(
            classify(
                "claude-code",
                "session/prompt",
                "{\"code\":-32603,\"message\":\"Internal error: You're out of extra usage · resets"
                    + " Dec 1\"}"))
        .isInstanceOf(UsageLimitException.class);
  }

  @Test
  void codexUsageLimit() {
    // codex-acp: RequestError.internalError({message, codexErrorInfo, additionalDetails}).
    AgentException e =
        classify(
            "codex",
            "session/prompt",
            "{\"code\":-32603,\"message\":\"Internal error\",\"data\":{\"message\":\"You've hit"
                + " your usage limit. Upgrade to Pro or try again at 3:05 PM.\","
                + "\"codexErrorInfo\":\"usageLimitExceeded\"}}");
    assertThat(e)
        .isInstanceOf(UsageLimitException.class)
        .hasMessageContaining("You've hit your usage limit");
  }

  @Test
  void aLimitWithoutAHintTakesItsResetFromTheWords() throws Exception {
    Instant now = Instant.parse("2026-11-25T01:30:00Z");
    JsonNode error =
        MAPPER.readTree(
            "{\"code\":-32603,\"message\":\"Internal error\",\"data\":{\"message\":\"You've"
                + " hit your usage limit. Try again at Nov 28th, 2026 9:05 AM.\","
                + "\"codexErrorInfo\":\"usageLimitExceeded\"}}");

    AgentException e =
        ErrorClassifier.classify(
            AgentProfile.forId("codex"),
            "codex",
            "session/prompt",
            RpcException.fromWire(error),
            Optional.empty(),
            Optional.of(now));

    assertThat(((UsageLimitException) e).resetAt())
        .contains(
            java.time.LocalDateTime.parse("2026-11-28T09:05")
                .atZone(java.time.ZoneId.systemDefault())
                .toInstant());
    // A hint the agent gave in its own report wins over the words.
    Instant hint = Instant.parse("2026-11-25T05:00:00Z");
    assertThat(
            ((UsageLimitException)
                    ErrorClassifier.classify(
                        AgentProfile.forId("codex"),
                        "codex",
                        "session/prompt",
                        RpcException.fromWire(error),
                        Optional.of(hint),
                        Optional.of(now)))
                .resetAt())
        .contains(hint);
  }

  @Test
  void genericProviderLimits() {
    assertThat(
            classify(
                "gemini",
                "session/prompt",
                "{\"code\":-32603,\"message\":\"[429 Too Many Requests] RESOURCE_EXHAUSTED\"}"))
        .isInstanceOf(UsageLimitException.class);
  }

  @Test
  void authenticationRequiredSaysWhatToSet() {
    assertThat(
            classify(
                "codex",
                "session/new",
                "{\"code\":-32000,\"message\":\"Authentication required\"}"))
        .isInstanceOf(AuthenticationRequiredException.class)
        .hasMessage(
            "codex (Codex) is not logged in: set OPENAI_API_KEY (or CODEX_API_KEY), or log in once"
                + " with `codex login` (the agent answered session/new: Authentication required)");
    assertThat(
            classify(
                "codex",
                "authenticate",
                "{\"code\":-32603,\"message\":\"Internal error: CODEX_API_KEY or OPENAI_API_KEY is"
                    + " not set\",\"data\":{\"envVars\":[\"CODEX_API_KEY\",\"OPENAI_API_KEY\"]}}"))
        .isInstanceOf(AuthenticationRequiredException.class);
    assertThat(
            classify(
                "claude-code",
                "session/prompt",
                "{\"code\":-32603,\"message\":\"Internal error: Invalid API key · Please run"
                    + " /login\"}"))
        .isInstanceOf(AuthenticationRequiredException.class)
        .hasMessageContaining("set ANTHROPIC_API_KEY");
  }

  @Test
  void claudeRefusingRootSaysHowToProceed() {
    assertThat(
            classify(
                "claude-code",
                "session/new",
                "{\"code\":-32603,\"message\":\"Internal error: --dangerously-skip-permissions"
                    + " cannot be used with root/sudo privileges for security reasons\","
                    + "\"data\":{\"startupFailureReason\":\"bypass_root\"}}"))
        .isNotInstanceOf(AuthenticationRequiredException.class)
        .hasMessageContaining("refuses to start as root")
        .hasMessageContaining("IS_SANDBOX=1");
  }

  @Test
  void otherErrorsKeepTheirMessageAndCode() {
    assertThat(
            classify(
                "acp",
                "session/prompt",
                "{\"code\":-32603,\"message\":\"Internal error: disk full\"}"))
        .isExactlyInstanceOf(AgentException.class)
        .hasMessage("acp failed session/prompt: Internal error: disk full (JSON-RPC error -32603)");
  }
}
