package dev.overnight.core.coordinator;

import dev.overnight.api.Availability;
import dev.overnight.api.TimeSource;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.CandidateSource;
import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionUsage;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.decision.DecisionInputs;
import dev.overnight.core.queue.OpHashes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A coordinator's decisions, when its queue runs dry: what the decision engine is given (by default
 * the workspace's git and session history, read now), and its decision enqueued as a task of the
 * configuration, with the labels decided tasks require.
 *
 * <p>Called on the cycle's thread; blocks on the engine, history reads and the queue.
 */
final class Decisions {
  private final OrchestrationConfig config;
  private final TaskQueue queue;
  private final TimeSource time;
  private final DecisionEngine engine;
  private final DecisionContextFactory contexts;

  /** Whether decisions read the workspace's history here, not a caller's context factory. */
  private final boolean historyContexts;

  private final List<SessionHistorySource> historySources;
  private final List<CandidateSource> candidateSources;
  private final Supplier<Set<String>> decidedTaskLabels;
  private final CoordinatorCounters counters;
  private final Consumer<DecisionUsage> spent;

  /** A decision made, and whether the queue took it as a new task. */
  record Made(Decision decision, boolean created) {}

  /**
   * Decisions of {@code engine} from the contexts {@code given}, else from the workspace's history
   * and {@code historySources} (and {@code candidateSources} when the engine uses candidates),
   * counted in {@code counters}; what the engine spends planning goes to {@code spent}.
   */
  Decisions(
      OrchestrationConfig config,
      TaskQueue queue,
      TimeSource time,
      DecisionEngine engine,
      Optional<DecisionContextFactory> given,
      List<SessionHistorySource> historySources,
      List<CandidateSource> candidateSources,
      Supplier<Set<String>> decidedTaskLabels,
      CoordinatorCounters counters,
      Consumer<DecisionUsage> spent) {
    this.config = config;
    this.queue = queue;
    this.time = time;
    this.engine = engine;
    this.contexts = given.orElse(this::historyContext);
    this.historyContexts = given.isEmpty();
    this.historySources = historySources;
    this.candidateSources = candidateSources;
    this.decidedTaskLabels = decidedTaskLabels;
    this.counters = counters;
    this.spent = spent;
  }

  /**
   * Asks the engine for work, with {@code agents} as available now, and enqueues it; empty when the
   * engine found nothing to do.
   */
  Optional<Made> decide(Map<String, Availability> agents, Instant now) {
    // Work done, under way, waiting or cancelled: a decision for work that is already queued or
    // running would be deduplicated by the queue and end the cycle's decisions, so a second
    // concurrent slot would never be filled.
    // An engine that uses candidates looks their op hashes up in the queue instead
    // (historyContext).
    Set<String> taken =
        engine.usesCandidates() && historyContexts ? Set.of() : OpHashes.taken(queue);
    DecisionContext context = contexts.create(agents, taken, now);
    Optional<Decision> decision = engine.decide(context);
    spent.accept(engine.takeUsage());
    if (decision.isEmpty()) {
      return Optional.empty();
    }
    counters.decided();
    TaskSpec spec = decision.get().toTaskSpec();
    TaskSpec withAttempts =
        new TaskSpec(
            spec.title(),
            spec.prompt(),
            spec.agentId(),
            spec.priority(),
            spec.opHash(),
            Optional.of(config.maxAttempts()),
            withConfig(spec.metadata()));
    return Optional.of(new Made(decision.get(), queue.enqueue(withAttempts).created()));
  }

  private Map<String, String> withConfig(Map<String, String> metadata) {
    Map<String, String> m = new LinkedHashMap<>(metadata);
    m.putIfAbsent("config_id", config.id());
    Set<String> required = decidedTaskLabels.get();
    if (!required.isEmpty() && !m.containsKey(TaskFacts.REQUIRED_LABELS.key())) {
      TaskFacts.REQUIRED_LABELS.put(m, required);
    }
    return m;
  }

  /** The default decision input: git and session history of the workspace, read now. */
  private DecisionContext historyContext(
      Map<String, Availability> agents, Set<String> finished, Instant now) {
    return DecisionInputs.builder(config, time)
        .historySources(historySources)
        .candidateSources(engine.usesCandidates() ? candidateSources : List.of())
        .takenLookup(queue::takenOpHashes)
        .agents(agents)
        .finishedOpHashes(finished)
        .build()
        .gather()
        .context();
  }
}
