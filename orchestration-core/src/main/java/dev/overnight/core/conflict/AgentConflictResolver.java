package dev.overnight.core.conflict;

import dev.overnight.api.Cancellable;
import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.PermissionPolicy;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A {@link ConflictResolver} backed by one session with an agent. Thread-safe; blocks per turn. */
final class AgentConflictResolver implements ConflictResolver {
  private final AgentProvider agent;
  private final OrchestrationConfig config;
  private final List<Path> hidden;
  private final Duration limit;
  private final TimeSource time;

  AgentConflictResolver(
      AgentProvider agent,
      OrchestrationConfig config,
      List<Path> hidden,
      Duration limit,
      TimeSource time) {
    this.agent = Objects.requireNonNull(agent, "agent");
    this.config = Objects.requireNonNull(config, "config");
    this.hidden = List.copyOf(hidden);
    this.limit = Objects.requireNonNull(limit, "limit");
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public Optional<String> resolve(Task task, Path worktree, String prompt) {
    return turn(task, worktree, prompt).failure();
  }

  @Override
  public Turn turn(Task task, Path worktree, String prompt) {
    SessionRequest.Builder request =
        SessionRequest.builder(worktree)
            .permissionPolicy(
                PermissionPolicy.of(config.permissions().mode(), config.permissions().allowFetch()))
            .mcpServers(config.mcpServers())
            .taskId(task.id())
            .cancelGrace(Duration.ofSeconds(config.limits().cancelGraceSec()));
    hidden.forEach(request::hiddenPath);
    Optional.ofNullable(config.agents().get(agent.id()))
        .flatMap(a -> a.mode())
        .ifPresent(request::mode);
    AgentSession session;
    try {
      session = agent.open(request.build());
    } catch (AgentException e) {
      return new Turn(
          Optional.of(agent.id() + " did not start: " + e.getMessage()), Usage.NONE, Duration.ZERO);
    }
    Instant started = time.instant();
    // Cancelled at the limit; the close below ends an agent that ignores the cancel.
    Cancellable timer = time.schedule(started.plus(limit), session::cancel);
    Usage used = Usage.NONE;
    Optional<String> failure;
    try {
      CompletableFuture<AgentOutcome> turn = session.prompt(prompt);
      AgentOutcome outcome = turn.get();
      used = outcome.usage();
      failure =
          outcome.stopReason() == StopReason.END_TURN
              ? Optional.empty()
              : Optional.of(agent.id() + " stopped: " + outcome.stopReason().wireName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session.cancel();
      failure = Optional.of("interrupted");
    } catch (ExecutionException e) {
      failure = Optional.of(agent.id() + " failed: " + e.getCause().getMessage());
    } finally {
      timer.cancel();
      session.close();
    }
    Duration worked = Duration.between(started, time.instant());
    return new Turn(failure, used, worked.isNegative() ? Duration.ZERO : worked);
  }
}
