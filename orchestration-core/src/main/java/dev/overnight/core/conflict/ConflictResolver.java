package dev.overnight.core.conflict;

import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Gives a task's agent one follow-up turn in a worktree where taking in the base went wrong: a
 * merge left conflict markers, or the quality gate fails with the base taken in. {@link BaseSync}
 * checks the result itself (markers gone, the gate passing), so a resolver only says whether the
 * turn ran.
 *
 * <p>Implementations are thread-safe; {@link #resolve} blocks for the turn.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ConflictResolver {

  /**
   * Runs one turn with {@code prompt} in {@code worktree}.
   *
   * @return why the turn did not end normally (the agent did not start, failed, ran out of time),
   *     or empty when it did
   */
  Optional<String> resolve(Task task, Path worktree, String prompt);

  /**
   * Runs one turn as {@link #resolve} does, saying also what it spent, so that a sync's turns count
   * in the night's limits as a task's do. The default spends nothing known: it only resolves.
   */
  default Turn turn(Task task, Path worktree, String prompt) {
    return new Turn(resolve(task, worktree, prompt), Usage.NONE, Duration.ZERO);
  }

  /**
   * One turn at a conflict or a failing gate.
   *
   * @param failure why the turn did not end normally, empty when it did
   * @param usage what the agent reported it used, {@link Usage#NONE} when it said nothing
   * @param agentTime how long the agent worked on it
   * @since 0.1.0
   */
  record Turn(Optional<String> failure, Usage usage, Duration agentTime) {
    /** Checks presence. */
    public Turn {
      Objects.requireNonNull(failure, "failure");
      Objects.requireNonNull(usage, "usage");
      Objects.requireNonNull(agentTime, "agentTime");
    }

    /** This turn and {@code other} together, the failure of the later one. */
    public Turn plus(Turn other) {
      return new Turn(other.failure, usage.plus(other.usage), agentTime.plus(other.agentTime));
    }
  }

  /** No agent: every conflict goes to a human. */
  static ConflictResolver none() {
    return (task, worktree, prompt) -> Optional.of("no agent is set to resolve conflicts");
  }

  /**
   * {@code agent}, in a session opened in the worktree with the configuration's permission policy
   * and MCP servers, the {@code hidden} folders out of its sight, cancelled after {@code limit} on
   * {@code time}.
   */
  static ConflictResolver agent(
      AgentProvider agent,
      OrchestrationConfig config,
      List<Path> hidden,
      Duration limit,
      TimeSource time) {
    return new AgentConflictResolver(agent, config, hidden, limit, time);
  }

  /**
   * The agent that did each task ({@link TaskFacts#AGENT}, else the one the task asked for; any
   * when it asked for none), found among {@code agents} and used as {@link #agent} says. A task
   * whose agent is not among them goes to a human.
   */
  static ConflictResolver taskAgent(
      List<AgentProvider> agents,
      OrchestrationConfig config,
      List<Path> hidden,
      Duration limit,
      TimeSource time) {
    List<AgentProvider> all = List.copyOf(agents);
    return new ConflictResolver() {
      @Override
      public Optional<String> resolve(Task task, Path worktree, String prompt) {
        return turn(task, worktree, prompt).failure();
      }

      @Override
      public Turn turn(Task task, Path worktree, String prompt) {
        Optional<String> wanted = TaskFacts.AGENT.from(task).or(task::agentId);
        return all.stream()
            .filter(a -> wanted.map(a.id()::equals).orElse(true))
            .findFirst()
            .map(a -> agent(a, config, hidden, limit, time).turn(task, worktree, prompt))
            .orElseGet(
                () ->
                    new Turn(
                        Optional.of(
                            "the agent " + wanted.orElse("of the task") + " is not available"),
                        Usage.NONE,
                        Duration.ZERO));
      }
    };
  }
}
