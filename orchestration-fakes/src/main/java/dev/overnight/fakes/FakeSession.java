package dev.overnight.fakes;

import dev.overnight.api.agent.AgentCrashedException;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A session of a {@link FakeAgent}: plays its script's turns, one per prompt (the last repeating),
 * and records what it was asked: prompts, mode switches, cancels and when it was closed.
 *
 * <p>It keeps the {@link AgentSession} contract: {@link #prompt} never blocks and fails its future
 * with {@link IllegalStateException} while another turn runs; {@link #updates()} delivers every
 * update in order and completes when the session is closed (or fails when the agent crashes);
 * {@link #cancel()} ends a running turn as {@link StopReason#CANCELLED} unless the turn ignores
 * cancellation; {@link #close()} is idempotent, never throws, and fails a turn still running with
 * an {@link AgentException}, as the ACP session does when it kills its agent.
 *
 * <p>Thread-safe. Turn steps and update delivery run on the calling thread (see {@link FakeTurn}).
 * A test ends a hanging turn itself with {@link #finishTurn} or {@link #failTurn}.
 *
 * @since 0.1.0
 */
public final class FakeSession implements AgentSession {
  private final FakeAgent agent;
  private final String sessionId;
  private final SessionRequest request;
  private final List<FakeTurn> turns;
  private final InstantSource time;
  private final Path workingDirectory;
  private final UpdateStream<SessionUpdate> updates = new UpdateStream<>();

  // Guarded by this.
  private final List<String> prompts = new ArrayList<>();
  private final List<String> modes = new ArrayList<>();
  private final List<Instant> cancels = new ArrayList<>();
  private CompletableFuture<AgentOutcome> turn;
  private boolean turnIgnoresCancel;
  private Usage usage = Usage.NONE;
  private Instant lastActivity;
  private Instant closedAt;
  private boolean crashed;

  FakeSession(
      FakeAgent agent,
      String sessionId,
      SessionRequest request,
      List<FakeTurn> turns,
      InstantSource time) {
    this.agent = agent;
    this.sessionId = sessionId;
    this.request = request;
    this.turns = List.copyOf(turns);
    this.time = time;
    this.workingDirectory = request.workingDirectory().toAbsolutePath().normalize();
    this.lastActivity = time.instant();
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public String agentId() {
    return agent.id();
  }

  /** The request the session was opened with. */
  public SessionRequest request() {
    return request;
  }

  /** The session's working folder: where file steps write. */
  public Path workingDirectory() {
    return workingDirectory;
  }

  @Override
  public CompletableFuture<AgentOutcome> prompt(String text) {
    CompletableFuture<AgentOutcome> future = new CompletableFuture<>();
    FakeTurn script;
    synchronized (this) {
      if (closedAt != null) {
        future.completeExceptionally(
            new AgentException(agentId() + " session " + sessionId + " is closed"));
        return future;
      }
      if (crashed) {
        future.completeExceptionally(
            new AgentCrashedException(agentId() + " session " + sessionId + " has crashed"));
        return future;
      }
      if (turn != null && !turn.isDone()) {
        future.completeExceptionally(
            new IllegalStateException(
                agentId() + " session " + sessionId + " is already running a turn"));
        return future;
      }
      script = turns.get(Math.min(prompts.size(), turns.size() - 1));
      prompts.add(text);
      turn = future;
      turnIgnoresCancel = script.ending() instanceof FakeTurn.Hang hang && !hang.honoursCancel();
    }
    agent.prompted(text);
    play(script, future);
    agent.turnPlayed();
    return future;
  }

  private void play(FakeTurn script, CompletableFuture<AgentOutcome> future) {
    for (FakeTurn.Step step : script.steps()) {
      if (future.isDone()) {
        return; // cancelled or closed while the steps ran
      }
      try {
        step.play(this);
      } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
        future.completeExceptionally(
            new AgentException(
                agentId() + " fake turn step '" + step.describe() + "' failed: " + e, e));
        return;
      }
    }
    FakeTurn.Ending ending = script.ending();
    if (ending instanceof FakeTurn.Stop stop) {
      finishTurn(stop.outcome());
    } else if (ending instanceof FakeTurn.Fail fail) {
      AgentException failure = fail.failure().get();
      if (fail.crash()) {
        synchronized (this) {
          crashed = true;
        }
        future.completeExceptionally(failure);
        updates.end(failure);
      } else {
        future.completeExceptionally(failure);
      }
    }
    // A hanging turn is left running: cancel(), close(), finishTurn() or failTurn() ends it.
  }

  /**
   * Ends the running turn with {@code outcome}, as the agent would: for a test that holds a turn
   * open with {@link FakeTurn#hang()} and lets it finish when it chooses.
   *
   * @return whether a turn was running
   */
  public synchronized boolean finishTurn(AgentOutcome outcome) {
    // Completed under the lock, so usage() never shows a turn that a racing cancel() ended.
    if (turn == null || !turn.complete(outcome)) {
      return false;
    }
    usage = usage.plus(outcome.usage());
    touch();
    return true;
  }

  /**
   * Fails the running turn with {@code failure}.
   *
   * @return whether a turn was running
   */
  public boolean failTurn(AgentException failure) {
    CompletableFuture<AgentOutcome> running;
    synchronized (this) {
      running = turn;
    }
    return running != null && running.completeExceptionally(failure);
  }

  @Override
  public Flow.Publisher<SessionUpdate> updates() {
    return updates;
  }

  @Override
  public void setMode(String modeId) {
    synchronized (this) {
      if (closedAt != null) {
        throw new AgentException(agentId() + " session " + sessionId + " is closed");
      }
      modes.add(modeId);
    }
    publish(new SessionUpdate.CurrentMode(modeId));
  }

  @Override
  public void cancel() {
    CompletableFuture<AgentOutcome> running;
    synchronized (this) {
      cancels.add(time.instant());
      running = turnIgnoresCancel ? null : turn;
    }
    if (running != null) {
      running.complete(new AgentOutcome(StopReason.CANCELLED, Usage.NONE));
    }
  }

  @Override
  public synchronized Instant lastActivity() {
    return lastActivity;
  }

  @Override
  public synchronized Usage usage() {
    return usage;
  }

  @Override
  public synchronized boolean isAlive() {
    return closedAt == null && !crashed;
  }

  @Override
  public void close() {
    CompletableFuture<AgentOutcome> running;
    synchronized (this) {
      if (closedAt != null) {
        return;
      }
      closedAt = time.instant();
      running = turn;
    }
    if (running != null) {
      running.completeExceptionally(
          new AgentException(agentId() + " session " + sessionId + " was closed during a turn"));
    }
    updates.end(null);
    agent.closed(this);
  }

  /** Every prompt this session was sent, in order. */
  public synchronized List<String> prompts() {
    return List.copyOf(prompts);
  }

  /** The modes it was switched to, in order (the request's mode first, if it had one). */
  public synchronized List<String> modes() {
    return List.copyOf(modes);
  }

  /** When {@link #cancel()} was called, each time, by the agent's time source. */
  public synchronized List<Instant> cancels() {
    return List.copyOf(cancels);
  }

  /** When the session was closed (its agent killed), if it was. */
  public synchronized Optional<Instant> closedAt() {
    return Optional.ofNullable(closedAt);
  }

  /** Whether a turn is running now. */
  public synchronized boolean turnRunning() {
    return turn != null && !turn.isDone();
  }

  /** Publishes an update from the agent; dropped once the session has ended. */
  void publish(SessionUpdate update) {
    synchronized (this) {
      touch();
    }
    updates.publish(update);
  }

  /** A path of the working folder; refuses one that leaves it. */
  Path resolve(String path) {
    Path resolved = workingDirectory.resolve(path).normalize();
    if (!resolved.startsWith(workingDirectory)) {
      throw new IllegalArgumentException(path + " is outside the working folder");
    }
    return resolved;
  }

  private void touch() {
    lastActivity = time.instant();
  }

  @Override
  public String toString() {
    return "FakeSession[" + sessionId + "]";
  }
}
