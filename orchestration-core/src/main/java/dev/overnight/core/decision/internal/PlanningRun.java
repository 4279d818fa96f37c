package dev.overnight.core.decision.internal;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.PermissionPolicy;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.decision.DecisionUsage;
import dev.overnight.core.time.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One planning run: a read-only session with the planning agent, one prompt, and its answer's text,
 * within the planning budget. The session is opened {@linkplain SessionRequest#readOnly()
 * read-only} with the {@linkplain PermissionPolicy#reading() reading} policy and no MCP servers, in
 * the workspace, with the state folder hidden. The run ends early, the session cancelled and
 * closed, when the answer grows past {@link PlanAnswers#MAX_ANSWER_CHARS}, when the reported use
 * passes the budget's tokens or cost, or when the budget's time runs out on the runtime's clock (an
 * agent that ignores the cancel is closed, its process tree killed).
 *
 * <p>Blocks the calling thread for the run, at most the time budget plus the session's start-up and
 * close. Never throws for the agent's failures: they are the outcome's reason.
 */
public final class PlanningRun {
  /** How long the updates may take to end after the session closed, before the text is taken. */
  private static final Duration STREAM_END = Duration.ofSeconds(10);

  private final AgentProvider agent;
  private final Path workspace;
  private final List<Path> hidden;
  private final SpendingLimit budget;
  private final Duration time;
  private final TimeSource clock;

  /**
   * A run with {@code agent} in {@code workspace}.
   *
   * @param hidden folders the agent must not see (the state folder)
   * @param budget tokens and cost the run may use
   * @param time how long the run may take
   */
  public PlanningRun(
      AgentProvider agent,
      Path workspace,
      List<Path> hidden,
      SpendingLimit budget,
      Duration time,
      TimeSource clock) {
    this.agent = Objects.requireNonNull(agent, "agent");
    this.workspace = Objects.requireNonNull(workspace, "workspace");
    this.hidden = List.copyOf(hidden);
    this.budget = Objects.requireNonNull(budget, "budget");
    this.time = Objects.requireNonNull(time, "time");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What a run came to.
   *
   * @param answer the agent's message text, when the turn ended normally within budget
   * @param failure why there is no answer to use, otherwise
   * @param usage what the run used
   */
  public record Outcome(Optional<String> answer, Optional<String> failure, DecisionUsage usage) {}

  /** Sends {@code prompt} and waits for the answer. */
  public Outcome run(String prompt) {
    Instant start = clock.instant();
    SessionRequest.Builder request =
        SessionRequest.builder(workspace)
            .readOnly()
            .permissionPolicy(PermissionPolicy.reading())
            .startupTimeout(Duration.ofSeconds(Math.max(1, Math.min(60, time.toSeconds()))));
    hidden.forEach(request::hiddenPath);
    AgentSession session;
    try {
      session = agent.open(request.build());
    } catch (AgentException e) {
      return failed(agent.id() + " could not start: " + e.getMessage(), Usage.NONE, start);
    } catch (RuntimeException e) {
      return failed(agent.id() + " could not start: " + e, Usage.NONE, start);
    }
    CompletableFuture<Optional<String>> stopped = new CompletableFuture<>();
    Answer answer = new Answer(session, stopped);
    session.updates().subscribe(answer);
    Cancellable timer =
        clock.schedule(
            start.plus(time),
            () -> {
              stopped.complete(Optional.of("no answer within " + Durations.human(time)));
              session.cancel();
            });
    CompletableFuture<AgentOutcome> turn;
    try {
      turn = session.prompt(prompt);
      turn.whenComplete((o, e) -> stopped.complete(Optional.empty()));
      Optional<String> early = waitFor(stopped);
      timer.cancel();
      session.close();
      answer.awaitEnd();
      Usage used = usage(turn, session);
      if (early.isPresent()) {
        return failed(early.get(), used, start);
      }
      AgentOutcome outcome;
      try {
        outcome = turn.getNow(null);
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return failed(agent.id() + " failed: " + cause.getMessage(), used, start);
      }
      if (outcome == null) {
        return failed(agent.id() + " gave no answer", used, start);
      }
      if (outcome.stopReason() != StopReason.END_TURN) {
        return failed(agent.id() + " stopped: " + outcome.stopReason().wireName(), used, start);
      }
      Optional<String> over = overBudget(used);
      if (over.isPresent()) {
        return failed(over.get(), used, start);
      }
      return new Outcome(
          Optional.of(answer.text()),
          Optional.empty(),
          new DecisionUsage(used, Duration.between(start, clock.instant())));
    } finally {
      timer.cancel();
      session.close();
    }
  }

  private Outcome failed(String why, Usage used, Instant start) {
    return new Outcome(
        Optional.empty(),
        Optional.of(why),
        new DecisionUsage(used, Duration.between(start, clock.instant())));
  }

  private static Optional<String> waitFor(CompletableFuture<Optional<String>> stopped) {
    try {
      return stopped.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("planning was interrupted");
    } catch (ExecutionException e) {
      return Optional.of("planning failed: " + e.getCause());
    }
  }

  /** The larger of what the turn's answer and the session's updates reported. */
  private static Usage usage(CompletableFuture<AgentOutcome> turn, AgentSession session) {
    Usage reported = session.usage();
    if (turn.isDone() && !turn.isCompletedExceptionally()) {
      Usage fromTurn = turn.join().usage();
      if (fromTurn.totalTokens() > reported.totalTokens()
          || fromTurn.costUsd().orElse(0.0) > reported.costUsd().orElse(0.0)) {
        return fromTurn;
      }
    }
    return reported;
  }

  private Optional<String> overBudget(Usage used) {
    if (budget.tokens().filter(t -> used.totalTokens() > t).isPresent()) {
      return Optional.of(
          "used "
              + used.totalTokens()
              + " tokens, more than the planning budget of "
              + budget.tokens().get());
    }
    if (budget.costUsd().filter(c -> used.costUsd().orElse(0.0) > c).isPresent()) {
      return Optional.of(
          "cost $"
              + used.costUsd().get()
              + ", more than the planning budget of $"
              + budget.costUsd().get());
    }
    return Optional.empty();
  }

  /** Collects the agent's message text, and stops the run when it or the use grows too large. */
  private final class Answer implements Flow.Subscriber<SessionUpdate> {
    private final AgentSession session;
    private final CompletableFuture<Optional<String>> stopped;
    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    Answer(AgentSession session, CompletableFuture<Optional<String>> stopped) {
      this.session = session;
      this.stopped = stopped;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(SessionUpdate update) {
      if (update instanceof SessionUpdate.AgentMessageChunk chunk) {
        boolean tooLong;
        synchronized (text) {
          if (text.length() <= PlanAnswers.MAX_ANSWER_CHARS) {
            text.append(chunk.content().asText());
          }
          tooLong = text.length() > PlanAnswers.MAX_ANSWER_CHARS;
        }
        if (tooLong && !stopped.isDone()) {
          stop(
              "the answer grew past "
                  + PlanAnswers.MAX_ANSWER_CHARS
                  + " characters (the plan asks for a few tasks)");
        }
      }
      Optional<String> over = overBudget(session.usage());
      if (over.isPresent() && !stopped.isDone()) {
        stop(over.get());
      }
    }

    private void stop(String why) {
      if (stopped.complete(Optional.of(why))) {
        session.cancel();
      }
    }

    @Override
    public void onError(Throwable throwable) {
      ended.complete(null);
    }

    @Override
    public void onComplete() {
      ended.complete(null);
    }

    /** Waits, boundedly, for the updates to end, so the last of the text is in. */
    void awaitEnd() {
      try {
        ended.get(STREAM_END.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // The text received so far is the answer.
      }
    }

    String text() {
      synchronized (text) {
        return text.toString();
      }
    }
  }
}
