package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.SessionUpdate;

/**
 * Takes the agent's {@code session/update} notifications: parses each, keeps what the session needs
 * from it (tool calls for permission requests, cost and limit resets, the current mode and the
 * configuration options), and publishes it on the session's update stream.
 *
 * <p>Called on the connection's reader thread, in the agent's order; never blocks.
 */
final class SessionUpdates {
  private final AgentExtensions extensions;
  private final ToolCalls toolCalls;
  private final UsageLedger usage;
  private final SessionModes modes;
  private final UpdateStream<SessionUpdate> stream;

  SessionUpdates(
      AgentExtensions extensions,
      ToolCalls toolCalls,
      UsageLedger usage,
      SessionModes modes,
      UpdateStream<SessionUpdate> stream) {
    this.extensions = extensions;
    this.toolCalls = toolCalls;
    this.usage = usage;
    this.modes = modes;
    this.stream = stream;
  }

  /** One notification's params; one without an {@code update} object is ignored. */
  void accept(JsonNode params) {
    JsonNode raw = params == null ? null : params.get("update");
    if (raw == null || !raw.isObject()) {
      return;
    }
    SessionUpdate update = UpdateParser.parse(raw);
    if (update instanceof SessionUpdate.ToolCall) {
      toolCalls.announced((SessionUpdate.ToolCall) update);
    } else if (update instanceof SessionUpdate.ToolCallUpdate) {
      toolCalls.updated((SessionUpdate.ToolCallUpdate) update);
    } else if (update instanceof SessionUpdate.UsageUpdate) {
      SessionUpdate.UsageUpdate u = (SessionUpdate.UsageUpdate) update;
      // The session's cost is kept in dollars; an amount in another currency is not one.
      if (u.costAmount().isPresent() && u.currency().map("USD"::equalsIgnoreCase).orElse(true)) {
        usage.costReported(u.costAmount().get());
      }
      extensions.limitReset().apply(raw).ifPresent(usage::limitResets);
      extensions.quotaReading().apply(raw).ifPresent(usage::quotaRead);
    } else if (update instanceof SessionUpdate.CurrentMode) {
      modes.current(((SessionUpdate.CurrentMode) update).modeId());
    } else if (update instanceof SessionUpdate.Unknown
        && "config_option_update".equals(update.kind())) {
      modes.readConfigOptions(raw.path("configOptions"));
    }
    stream.publish(update);
  }
}
