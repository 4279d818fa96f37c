package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.agent.PermissionDecision;
import dev.overnight.api.agent.PermissionOption;
import dev.overnight.api.agent.PermissionPolicy;
import dev.overnight.api.agent.PermissionRequest;
import dev.overnight.api.agent.ToolKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an agent's {@code session/request_permission}: puts the request to the session's {@link
 * PermissionPolicy} and maps the decision onto the options the agent offered. An allow picks the
 * {@code allow_once} option, never {@code allow_always}, so that every later call is asked again; a
 * reject picks {@code reject_once}, else {@code reject_always}; with no such option, or while the
 * turn is being cancelled, the answer is {@code cancelled}. A policy that throws or answers nothing
 * rejects. Every decision is written to the transcript with its reason.
 *
 * <p>A request that names only a tool call's id is completed from what the agent announced about
 * it. Thread-safe; runs on a connection worker and blocks only as long as the policy does.
 */
final class PermissionBroker {
  private static final Logger LOG = LoggerFactory.getLogger(PermissionBroker.class);

  private final String agentId;
  private final Path worktree;
  private final PermissionPolicy policy;
  private final ToolCalls toolCalls;
  private final Transcript transcript;
  private final Supplier<String> sessionId;
  private final BooleanSupplier turnCancelling;

  /**
   * A broker for one session.
   *
   * @param worktree the session's worktree, as the policy sees it
   * @param sessionId the session's id once known, else {@code null}
   * @param turnCancelling whether the running turn is being cancelled
   */
  PermissionBroker(
      String agentId,
      Path worktree,
      PermissionPolicy policy,
      ToolCalls toolCalls,
      Transcript transcript,
      Supplier<String> sessionId,
      BooleanSupplier turnCancelling) {
    this.agentId = agentId;
    this.worktree = worktree;
    this.policy = policy;
    this.toolCalls = toolCalls;
    this.transcript = transcript;
    this.sessionId = sessionId;
    this.turnCancelling = turnCancelling;
  }

  /** The result to answer a {@code session/request_permission} with. */
  JsonNode answer(JsonNode params) {
    JsonNode toolCall = params.path("toolCall");
    String toolCallId = Json.text(toolCall, "toolCallId", "");
    Optional<ToolCalls.ToolInfo> known = toolCalls.get(toolCallId);
    String title = Json.text(toolCall, "title").orElse(known.map(k -> k.title()).orElse(""));
    ToolKind kind =
        Json.text(toolCall, "kind")
            .map(ToolKind::fromWire)
            .orElse(known.map(k -> k.kind()).orElse(ToolKind.OTHER));
    List<String> locations =
        UpdateParser.locations(toolCall.get("locations"))
            .orElse(known.map(k -> k.locations()).orElse(List.of()));
    Optional<String> rawInput =
        Json.raw(toolCall, "rawInput").or(() -> known.flatMap(k -> k.rawInput()));
    List<PermissionOption> options = new ArrayList<>();
    for (JsonNode o : params.path("options")) {
      Json.text(o, "optionId")
          .ifPresent(
              id ->
                  options.add(
                      new PermissionOption(
                          id, Json.text(o, "name", id), Json.text(o, "kind", ""))));
    }
    if (turnCancelling.getAsBoolean()) {
      record(toolCallId, title, false, "the turn is being cancelled", Optional.empty());
      return outcome(Optional.empty());
    }
    String session = sessionId.get();
    PermissionRequest request =
        new PermissionRequest(
            session == null ? "" : session,
            worktree,
            toolCallId,
            title,
            kind,
            locations,
            rawInput,
            options);
    PermissionDecision decision = decide(request);
    Optional<PermissionOption> chosen = Optional.empty();
    if (decision.allowed()) {
      chosen = firstOfKind(options, "allow_once");
      if (chosen.isEmpty()) {
        decision =
            PermissionDecision.reject(
                "allowed by policy, but the agent offered no allow-once option (Overnight never"
                    + " answers allow-always)");
      }
    }
    if (!decision.allowed()) {
      chosen = firstOfKind(options, "reject_once").or(() -> firstOfKind(options, "reject_always"));
    }
    Optional<String> optionId = chosen.map(PermissionOption::optionId);
    record(toolCallId, title, decision.allowed(), decision.reason(), optionId);
    LOG.info(
        "{}: {} {} ({}): {}",
        agentId,
        decision.allowed() ? "allowed" : "rejected",
        title.isEmpty() ? toolCallId : title,
        kind.wireName(),
        decision.reason());
    return outcome(optionId);
  }

  private PermissionDecision decide(PermissionRequest request) {
    try {
      PermissionDecision decision = policy.decide(request);
      return decision != null
          ? decision
          : PermissionDecision.reject("the permission policy gave no answer");
    } catch (RuntimeException e) {
      return PermissionDecision.reject("the permission policy failed: " + e);
    }
  }

  private static Optional<PermissionOption> firstOfKind(
      List<PermissionOption> options, String kind) {
    return options.stream().filter(o -> o.kind().equals(kind)).findFirst();
  }

  /** {@code {"outcome":{"outcome":"selected","optionId":…}}}, or {@code cancelled} without one. */
  private static JsonNode outcome(Optional<String> optionId) {
    ObjectNode result = Json.object();
    ObjectNode outcome = result.putObject("outcome");
    if (optionId.isPresent()) {
      outcome.put("outcome", "selected");
      outcome.put("optionId", optionId.get());
    } else {
      outcome.put("outcome", "cancelled");
    }
    return result;
  }

  private void record(
      String toolCallId, String title, boolean allowed, String reason, Optional<String> optionId) {
    ObjectNode note = Transcript.noteOf("permission");
    note.put("toolCallId", toolCallId);
    note.put("title", title);
    note.put("allowed", allowed);
    note.put("reason", reason);
    optionId.ifPresent(id -> note.put("optionId", id));
    transcript.note(note);
  }
}
