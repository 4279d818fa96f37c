package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProtocolException;
import dev.overnight.api.agent.AgentTimeoutException;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.Usage;
import dev.overnight.core.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The turns of one session, one at a time. A turn sends {@code session/prompt} and ends with the
 * agent's answer: its stop reason and usage, or the error it answered. On the session's timers it
 * watches the turn's budget and the agent's silence (no message while no request of the agent's is
 * being served); a turn over either, or cancelled, is sent {@code session/cancel}, and if it has
 * not ended when the grace period is over the session fails with an {@link AgentTimeoutException}
 * (which kills the agent).
 *
 * <p>Also holds the session's failure: once the session failed no turn starts, and the running one
 * ends with the failure. Thread-safe and never blocking: timers run on the time source's threads,
 * answers on the connection's workers.
 */
final class TurnController {
  private static final Logger LOG = LoggerFactory.getLogger(TurnController.class);

  /**
   * The limits of a turn.
   *
   * @param turnTimeout the most one turn may take before it is cancelled, if limited
   * @param silenceTimeout the longest the agent may stay silent in a turn before it is cancelled,
   *     if limited
   * @param cancelGrace how long a cancelled turn may take to end before the agent is killed
   */
  record Budgets(
      Optional<Duration> turnTimeout, Optional<Duration> silenceTimeout, Duration cancelGrace) {
    /** Validates the components. */
    Budgets {
      Objects.requireNonNull(turnTimeout, "turnTimeout");
      Objects.requireNonNull(silenceTimeout, "silenceTimeout");
      Objects.requireNonNull(cancelGrace, "cancelGrace");
    }
  }

  private static final class Turn {
    final RpcChannel channel;
    final String sessionId;
    final CompletableFuture<AgentOutcome> future = new CompletableFuture<>();
    final List<Cancellable> timers = new CopyOnWriteArrayList<>();
    volatile Instant startedAt;
    volatile Optional<Double> costAtStart = Optional.empty();
    volatile boolean cancelRequested;
    volatile String cancelReason;

    Turn(RpcChannel channel, String sessionId) {
      this.channel = channel;
      this.sessionId = sessionId;
    }

    void cancelTimers() {
      timers.forEach(Cancellable::cancel);
    }
  }

  private final String agentId;
  private final Budgets budgets;
  private final TimeSource time;
  private final Transcript transcript;
  private final UsageLedger usage;
  private final AgentExtensions extensions;
  private final IntSupplier requestsInFlight;
  private final BooleanSupplier closed;
  private final BiFunction<String, RpcException, AgentException> classify;
  private final Consumer<AgentException> fatal;

  private final Object lock = new Object();
  // Guarded by lock.
  private Turn turn;
  private AgentException failure;

  /**
   * The turns of a session with agent {@code agentId}.
   *
   * @param time the clock and timers for budgets and silence
   * @param usage where finished turns' tokens are added, and the agent's cost is read
   * @param extensions how the agent reports tokens outside the protocol
   * @param requestsInFlight how many of the agent's requests are being served
   * @param closed whether the session is closed
   * @param classify turns an error answer to a method into the exception a turn fails with
   * @param fatal fails the whole session; called when a cancelled turn outlives its grace period
   */
  TurnController(
      String agentId,
      Budgets budgets,
      TimeSource time,
      Transcript transcript,
      UsageLedger usage,
      AgentExtensions extensions,
      IntSupplier requestsInFlight,
      BooleanSupplier closed,
      BiFunction<String, RpcException, AgentException> classify,
      Consumer<AgentException> fatal) {
    this.agentId = agentId;
    this.budgets = budgets;
    this.time = time;
    this.transcript = transcript;
    this.usage = usage;
    this.extensions = extensions;
    this.requestsInFlight = requestsInFlight;
    this.closed = closed;
    this.classify = classify;
    this.fatal = fatal;
  }

  /**
   * Starts a turn: sends {@code text} as {@code session/prompt} to session {@code sessionId} on
   * {@code channel}. The future fails at once if the session failed or closed, or runs a turn
   * already; cancelling it cancels the turn.
   */
  CompletableFuture<AgentOutcome> prompt(RpcChannel channel, String sessionId, String text) {
    Turn t = new Turn(channel, sessionId);
    synchronized (lock) {
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      if (closed.getAsBoolean()) {
        return CompletableFuture.failedFuture(
            new AgentException(agentId + " session " + sessionId + " is closed"));
      }
      if (turn != null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                agentId + " session " + sessionId + " already runs a turn; one prompt at a time"));
      }
      turn = t;
    }
    t.costAtStart = usage.cost();
    t.startedAt = time.instant();
    ObjectNode params = Json.object();
    params.put("sessionId", sessionId);
    ObjectNode block = params.putArray("prompt").addObject();
    block.put("type", "text");
    block.put("text", text);
    CompletableFuture<JsonNode> rpc = channel.request("session/prompt", params);
    budgets
        .turnTimeout()
        .ifPresent(
            budget ->
                t.timers.add(
                    time.schedule(
                        t.startedAt.plus(budget),
                        () -> stop(t, "exceeded its turn budget of " + Durations.human(budget)))));
    budgets.silenceTimeout().ifPresent(limit -> checkSilence(t, limit));
    rpc.whenComplete((result, error) -> finish(t, result, error));
    t.future.whenComplete(
        (outcome, error) -> {
          if (error instanceof CancellationException) {
            stop(t, "was cancelled by its caller");
          }
        });
    return t.future;
  }

  /** Cancels the running turn, if any, as {@link #prompt}'s budgets do. */
  void cancel() {
    current().ifPresent(t -> stop(t, "was cancelled"));
  }

  /** Whether a turn is running. */
  boolean running() {
    return current().isPresent();
  }

  /** Whether the running turn is being cancelled: the agent's requests are answered "cancelled". */
  boolean cancelling() {
    return current().filter(t -> t.cancelRequested).isPresent();
  }

  /** Why the session failed, once it has. */
  Optional<AgentException> failure() {
    synchronized (lock) {
      return Optional.ofNullable(failure);
    }
  }

  /**
   * Records that the session failed with {@code cause}; only the first failure counts. The running
   * turn is detached at once, so no other turn starts, and fails with {@code cause} after {@code
   * beforeTurnEnds} has run: there the session fails its connection, which ends the turn's pending
   * prompt with the same cause.
   *
   * @return whether this was the session's first failure
   */
  boolean fail(AgentException cause, Runnable beforeTurnEnds) {
    Turn t;
    synchronized (lock) {
      if (failure != null) {
        return false;
      }
      failure = cause;
      t = turn;
      turn = null;
    }
    beforeTurnEnds.run();
    if (t != null) {
      t.cancelTimers();
      t.future.completeExceptionally(cause);
    }
    return true;
  }

  /** The session closed: a turn still running ends with {@code cause}. */
  void close(AgentException cause) {
    Turn t;
    synchronized (lock) {
      t = turn;
      turn = null;
    }
    if (t != null) {
      t.cancelTimers();
      t.future.completeExceptionally(cause);
    }
  }

  private Optional<Turn> current() {
    synchronized (lock) {
      return Optional.ofNullable(turn);
    }
  }

  /**
   * Stops the turn if the agent has been silent for {@code limit} and serves no request of its own;
   * else checks again when it would have been.
   */
  private void checkSilence(Turn t, Duration limit) {
    if (t.future.isDone()) {
      return;
    }
    Instant last = t.channel.lastActivity();
    if (last.isBefore(t.startedAt)) {
      last = t.startedAt;
    }
    Instant due = last.plus(limit);
    if (!time.instant().isBefore(due) && requestsInFlight.getAsInt() == 0) {
      stop(t, "went silent for " + Durations.human(limit));
      return;
    }
    Instant next = due.isAfter(time.instant()) ? due : time.instant().plus(limit);
    t.timers.add(time.schedule(next, () -> checkSilence(t, limit)));
  }

  /** Sends {@code session/cancel}; if the turn has not ended after the grace period, fails. */
  private void stop(Turn t, String reason) {
    synchronized (lock) {
      if (t.future.isDone() && !t.future.isCancelled() || t.cancelRequested || failure != null) {
        return;
      }
      t.cancelRequested = true;
      t.cancelReason = reason;
    }
    LOG.warn("{} session {} {}: sending session/cancel", agentId, t.sessionId, reason);
    ObjectNode note = Transcript.noteOf("cancel");
    note.put("reason", reason);
    transcript.note(note);
    ObjectNode params = Json.object();
    params.put("sessionId", t.sessionId);
    t.channel.notify("session/cancel", params);
    Duration grace = budgets.cancelGrace();
    t.timers.add(
        time.schedule(
            time.instant().plus(grace),
            () -> {
              if (current().filter(t::equals).isPresent()) {
                fatal.accept(
                    new AgentTimeoutException(
                        agentId
                            + " "
                            + reason
                            + " and did not stop within the "
                            + Durations.human(grace)
                            + " grace period after session/cancel; its process tree was killed"));
              }
            }));
  }

  private void finish(Turn t, JsonNode result, Throwable error) {
    synchronized (lock) {
      if (turn == t) {
        turn = null;
      }
    }
    t.cancelTimers();
    if (error != null) {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      AgentException e;
      if (cause instanceof RpcException) {
        e = classify.apply("session/prompt", (RpcException) cause);
      } else if (cause instanceof AgentException) {
        e = (AgentException) cause;
      } else {
        e = new AgentException(agentId + ": the turn failed: " + cause, cause);
      }
      ObjectNode note = Transcript.noteOf("turn_failed");
      note.put("error", e.getMessage());
      note.put("type", e.getClass().getSimpleName());
      transcript.note(note);
      t.future.completeExceptionally(e);
      return;
    }
    String reason = Json.text(result, "stopReason", null);
    Optional<StopReason> stop = StopReason.fromWire(reason);
    if (stop.isEmpty()) {
      t.future.completeExceptionally(
          new AgentProtocolException(
              agentId + " ended its turn with an unknown stop reason: " + reason));
      return;
    }
    Usage turnUsage = turnUsage(result, t.costAtStart);
    usage.addTurn(turnUsage);
    ObjectNode note = Transcript.noteOf("turn_end");
    note.put("stopReason", stop.get().wireName());
    note.put("inputTokens", turnUsage.inputTokens());
    note.put("outputTokens", turnUsage.outputTokens());
    turnUsage.costUsd().ifPresent(c -> note.put("costUsd", c));
    if (t.cancelReason != null) {
      note.put("cancelReason", t.cancelReason);
    }
    transcript.note(note);
    t.future.complete(new AgentOutcome(stop.get(), turnUsage));
  }

  /**
   * A turn's usage: the tokens of the protocol's {@code usage} in the {@code session/prompt}
   * result, else those the agent reports elsewhere, else none; the cost is the change in the
   * agent's cumulative cost since the turn started.
   */
  private Usage turnUsage(JsonNode result, Optional<Double> costAtStart) {
    JsonNode reported = result.path("usage");
    Usage tokens =
        reported.isObject()
            ? new Usage(
                reported.path("inputTokens").asLong(0),
                reported.path("outputTokens").asLong(0),
                reported.path("cachedReadTokens").asLong(0),
                reported.path("cachedWriteTokens").asLong(0),
                Optional.empty())
            : extensions.promptUsage().apply(result).orElse(Usage.NONE);
    return new Usage(
        tokens.inputTokens(),
        tokens.outputTokens(),
        tokens.cachedReadTokens(),
        tokens.cachedWriteTokens(),
        usage.costSince(costAtStart));
  }
}
