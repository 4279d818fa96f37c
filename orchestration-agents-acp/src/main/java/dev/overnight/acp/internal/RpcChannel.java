package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The client's end of the JSON-RPC connection to an agent, as the parts of a session use it:
 * requests, notifications, and when the agent last wrote. {@link AcpConnection} is the real one.
 *
 * <p>Thread-safe; nothing blocks: an answer arrives on the request's future.
 */
interface RpcChannel {

  /**
   * Sends a request. The future completes with the result, or exceptionally with an {@link
   * RpcException} for an error answer or with the connection's failure.
   */
  CompletableFuture<JsonNode> request(String method, JsonNode params);

  /** Sends a notification; a dead agent is logged, not thrown. */
  void notify(String method, JsonNode params);

  /** When the agent last wrote a line. */
  Instant lastActivity();
}
