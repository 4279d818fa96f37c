package dev.overnight.fakes;

import dev.overnight.api.Availability;
import dev.overnight.api.agent.AgentCapabilities;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.SessionRequest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link AgentProvider} that runs in the test's own process and follows a script: the stand-in
 * for a coding agent where a real process is beside the point (the coordinator's rules, the
 * runtime's life). {@link ScriptedAgent} is the stand-in that speaks real ACP over stdio.
 *
 * <pre>{@code
 * FakeAgent agent = FakeAgent.builder("claude-code")
 *     .timeSource(time)
 *     .session(FakeTurn.crash("segmentation fault"))          // the first session crashes
 *     .session(FakeTurn.builder()                              // later sessions do the work
 *         .write("NOTES.md", "Notes.\n")
 *         .message("Wrote NOTES.md.")
 *         .endTurn(new Usage(1000, 250, 0, 0, Optional.of(0.01))))
 *     .build();
 * }</pre>
 *
 * <p><b>Scripts.</b> Each {@link #open} takes the next session script in the order they were added
 * (the last one repeats): either a failure to open ({@link Builder#failToOpen}, e.g. an {@link
 * AuthenticationRequiredException}), or the {@link FakeTurn}s its prompts play, one per prompt, the
 * last repeating. An agent with no script opens sessions whose turns end at once. While the agent
 * is unavailable, {@code open} fails with {@link AgentUnavailableException}, as a real provider
 * whose command is missing does.
 *
 * <p><b>Records.</b> Everything the agent was asked is kept: the {@link #requests()}, every {@link
 * #prompts() prompt}, and each {@link FakeSession} with its cancels and when it was closed. A test
 * that runs the agent on other threads waits for a turn to be under way with {@link
 * #awaitTurns(int, Duration)} before it moves virtual time.
 *
 * <p>Thread-safe: sessions may be opened and prompted from any number of threads.
 *
 * @since 0.1.0
 */
public final class FakeAgent implements AgentProvider {
  private final String id;
  private final AgentCapabilities capabilities;
  private final InstantSource time;
  private final List<SessionScript> scripts;
  private volatile Availability availability;

  private final Object monitor = new Object();
  private final List<SessionRequest> requests = new CopyOnWriteArrayList<>();
  private final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
  private final List<String> prompts = new CopyOnWriteArrayList<>();
  // Guarded by monitor.
  private int opened;
  private int openNow;
  private int peakOpen;
  private int turnsPlayed;

  private FakeAgent(Builder b) {
    this.id = b.id;
    this.capabilities = b.capabilities;
    this.time = b.time;
    this.scripts =
        b.scripts.isEmpty()
            ? List.of(new SessionScript(Optional.empty(), List.of(FakeTurn.endTurn())))
            : List.copyOf(b.scripts);
    this.availability = b.availability;
  }

  /** Starts a fake agent with this id. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Availability availability() {
    return availability;
  }

  /** Makes the agent available or unavailable from now on. */
  public void setAvailability(Availability value) {
    availability = Objects.requireNonNull(value, "availability");
  }

  @Override
  public AgentCapabilities capabilities() {
    return capabilities;
  }

  /**
   * Opens the next scripted session, switching to the request's mode first if it names one.
   *
   * @throws AgentUnavailableException while the agent is unavailable
   * @throws AgentException what the session's script says opening throws
   */
  @Override
  public FakeSession open(SessionRequest request) {
    Objects.requireNonNull(request, "request");
    requests.add(request);
    Availability now = availability;
    if (!now.available()) {
      throw new AgentUnavailableException(id + " is not available: " + now);
    }
    int index;
    synchronized (monitor) {
      index = opened++;
    }
    SessionScript script = scripts.get(Math.min(index, scripts.size() - 1));
    if (script.openFailure().isPresent()) {
      throw script.openFailure().get();
    }
    FakeSession session =
        new FakeSession(this, id + "-" + (index + 1), request, script.turns(), time);
    synchronized (monitor) {
      openNow++;
      peakOpen = Math.max(peakOpen, openNow);
    }
    sessions.add(session);
    request.mode().ifPresent(session::setMode);
    return session;
  }

  /** Every request {@link #open} was called with, in order, those that failed included. */
  public List<SessionRequest> requests() {
    return List.copyOf(requests);
  }

  /** Every session opened, in order. */
  public List<FakeSession> sessions() {
    return List.copyOf(sessions);
  }

  /** Every prompt sent to any of its sessions, in order. */
  public List<String> prompts() {
    return List.copyOf(prompts);
  }

  /** How many sessions are open (not yet closed) now. */
  public int openSessions() {
    synchronized (monitor) {
      return openNow;
    }
  }

  /** The most sessions that were open at once. */
  public int peakOpenSessions() {
    synchronized (monitor) {
      return peakOpen;
    }
  }

  /**
   * Waits until {@code count} turns have been played up to their ending: their steps are done and
   * each has ended or is hanging. For tests that run the agent on other threads and must know a
   * turn is under way before they move virtual time.
   *
   * @param safetyNet how long to wait at most: a bound against a hung test, not a speed check
   * @return every prompt sent so far
   * @throws AssertionError if fewer turns were played within {@code safetyNet}
   */
  public List<String> awaitTurns(int count, Duration safetyNet) {
    long deadline = System.nanoTime() + safetyNet.toNanos();
    synchronized (monitor) {
      while (turnsPlayed < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              id + " played " + turnsPlayed + " turn(s) within " + safetyNet + ", not " + count);
        }
        try {
          monitor.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for " + id + "'s turns", e);
        }
      }
    }
    return prompts();
  }

  void prompted(String text) {
    prompts.add(text);
  }

  void turnPlayed() {
    synchronized (monitor) {
      turnsPlayed++;
      monitor.notifyAll();
    }
  }

  void closed(FakeSession session) {
    synchronized (monitor) {
      openNow--;
    }
  }

  @Override
  public String toString() {
    return "FakeAgent[" + id + "]";
  }

  /** What one session does: fail to open, or play these turns. */
  private record SessionScript(Optional<AgentException> openFailure, List<FakeTurn> turns) {}

  /** Builds a {@link FakeAgent}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private final List<SessionScript> scripts = new ArrayList<>();
    private AgentCapabilities capabilities = AgentCapabilities.baseline();
    private InstantSource time = InstantSource.system();
    private Availability availability;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
      this.availability = Availability.available("fake agent " + id);
    }

    /**
     * Adds a session script: the next session opened plays {@code turns}, one per prompt, the last
     * repeating.
     */
    public Builder session(FakeTurn... turns) {
      if (turns.length == 0) {
        throw new IllegalArgumentException("a session plays at least one turn");
      }
      scripts.add(new SessionScript(Optional.empty(), List.of(turns)));
      return this;
    }

    /** Adds a session script whose {@code open} throws {@code failure}. */
    public Builder failToOpen(AgentException failure) {
      scripts.add(new SessionScript(Optional.of(failure), List.of()));
      return this;
    }

    /** Adds a session script whose {@code open} says the agent needs a login. */
    public Builder authenticationRequired(String message) {
      return failToOpen(new AuthenticationRequiredException(message));
    }

    /** The agent is available, having found {@code reason} (the default). */
    public Builder available(String reason) {
      availability = Availability.available(reason);
      return this;
    }

    /** The agent is unavailable for {@code reason}, fixed by {@code remedy}. */
    public Builder unavailable(String reason, String remedy) {
      availability = Availability.unavailable(reason, remedy);
      return this;
    }

    /** What the agent says it supports (default: {@link AgentCapabilities#baseline()}). */
    public Builder capabilities(AgentCapabilities value) {
      capabilities = Objects.requireNonNull(value, "capabilities");
      return this;
    }

    /**
     * The time that stamps activity, cancels and closes (default: the system's); give the runtime's
     * virtual time in tests.
     */
    public Builder timeSource(InstantSource value) {
      time = Objects.requireNonNull(value, "timeSource");
      return this;
    }

    /** Builds the agent. */
    public FakeAgent build() {
      return new FakeAgent(this);
    }
  }
}
