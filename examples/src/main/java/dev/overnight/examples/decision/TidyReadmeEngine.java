package dev.overnight.examples.decision;

import dev.overnight.api.Availability;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionPath;
import dev.overnight.api.decision.Signal;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A decision engine with one opinion: when the queue runs dry, tidy the README, with one agent. It
 * decides nothing once that task has been taken (the context's finished op hashes say so), or while
 * its agent is unavailable.
 *
 * <p>Immutable and thread-safe; {@link #decide} reads only the context, so it never blocks.
 */
public final class TidyReadmeEngine implements DecisionEngine {
  static final String PROMPT =
      "Tidy README.md: fix capitalisation, spacing and typos. Change nothing else.";

  private final String agentId;

  /** An engine whose task goes to the agent {@code agentId}. */
  public TidyReadmeEngine(String agentId) {
    this.agentId = Objects.requireNonNull(agentId, "agentId");
  }

  @Override
  public Optional<Decision> decide(DecisionContext context) {
    boolean available =
        Optional.ofNullable(context.agents().get(agentId))
            .map(Availability::available)
            .orElse(false);
    // The op hash the task gets when the runtime enqueues this decision (Decision#toTaskSpec).
    String opHash = TaskSpec.defaultOpHash(PROMPT, Optional.of(agentId));
    if (!available || context.finishedOpHashes().contains(opHash)) {
      return Optional.empty();
    }
    return Optional.of(
        new Decision(
            "Tidy the README",
            PROMPT,
            agentId,
            TaskPriority.LOW,
            DecisionPath.EXPLORATION, // the built-in path closest to "a chore of its own"
            Optional.of("README.md"),
            "The README is the first thing people read, so it is always worth tidying.",
            1.0,
            List.of(new Signal("always_tidy_readme", "README.md", 1.0)),
            Duration.ofMinutes(5),
            Map.of("engine", "tidy-readme")));
  }
}
