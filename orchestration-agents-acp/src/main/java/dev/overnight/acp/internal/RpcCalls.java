package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentTimeoutException;
import dev.overnight.core.time.Durations;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Requests whose caller waits for the answer: the start-up calls and the switching of modes and
 * options. An error answer becomes the {@link AgentException} a caller can act on; an agent that
 * does not answer in time is a timeout, and while the session is starting a fatal one.
 *
 * <p>Thread-safe. Each call blocks its caller until the answer or the deadline, a {@link
 * System#nanoTime()} value: these waits are the caller's own, not the session's timers.
 */
final class RpcCalls {
  private final String agentId;
  private final RpcChannel channel;
  private final Duration timeout;
  private final BooleanSupplier starting;
  private final Consumer<AgentException> fatal;
  private final BiFunction<String, RpcException, AgentException> classify;

  /**
   * Calls over {@code channel} for agent {@code agentId}.
   *
   * @param timeout how long one call may take, the request's start-up timeout
   * @param starting whether the session is still starting
   * @param fatal ends the session when start-up times out
   * @param classify turns an error answer to a method into the exception to throw
   */
  RpcCalls(
      String agentId,
      RpcChannel channel,
      Duration timeout,
      BooleanSupplier starting,
      Consumer<AgentException> fatal,
      BiFunction<String, RpcException, AgentException> classify) {
    this.agentId = agentId;
    this.channel = channel;
    this.timeout = timeout;
    this.starting = starting;
    this.fatal = fatal;
    this.classify = classify;
  }

  /** The deadline of a call, or of a sequence of calls, starting now. */
  long deadline() {
    return System.nanoTime() + timeout.toNanos();
  }

  /**
   * Sends a request and waits for its result.
   *
   * @throws AgentException for an error answer (classified), a timeout, or a failed connection
   */
  JsonNode call(String method, JsonNode params, long deadlineNanos) {
    try {
      return callRaw(method, params, deadlineNanos);
    } catch (RpcException e) {
      throw classified(method, e);
    }
  }

  /** The exception to throw for an error answer to {@code method}. */
  AgentException classified(String method, RpcException error) {
    return classify.apply(method, error);
  }

  /**
   * As {@link #call}, but an error answer is thrown as it came, for a caller that handles some.
   *
   * @throws RpcException for an error answer
   * @throws AgentException for a timeout or a failed connection
   */
  JsonNode callRaw(String method, JsonNode params, long deadlineNanos) throws RpcException {
    CompletableFuture<JsonNode> future = channel.request(method, params);
    long left = deadlineNanos - System.nanoTime();
    try {
      return future.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      boolean startup = starting.getAsBoolean();
      AgentTimeoutException late =
          new AgentTimeoutException(
              agentId
                  + " did not answer "
                  + method
                  + " within "
                  + Durations.human(timeout)
                  + (startup ? " (start-up timeout)" : ""));
      if (startup) {
        fatal.accept(late);
      }
      throw late;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(agentId + ": interrupted while waiting for " + method, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RpcException) {
        throw (RpcException) cause;
      }
      if (cause instanceof AgentException) {
        throw (AgentException) cause;
      }
      throw new AgentException(agentId + ": " + method + " failed: " + cause, cause);
    }
  }
}
