package dev.overnight.core.conflict;

import dev.overnight.api.TimeSource;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    return (task, worktree, prompt) -> {
      Optional<String> wanted = TaskFacts.AGENT.from(task).or(task::agentId);
      return all.stream()
          .filter(a -> wanted.map(a.id()::equals).orElse(true))
          .findFirst()
          .map(a -> agent(a, config, hidden, limit, time).resolve(task, worktree, prompt))
          .orElseGet(
              () -> Optional.of("the agent " + wanted.orElse("of the task") + " is not available"));
    };
  }
}
