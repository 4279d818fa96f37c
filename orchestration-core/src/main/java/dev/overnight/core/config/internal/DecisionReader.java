package dev.overnight.core.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.config.AgentPlanning;
import dev.overnight.api.config.CheckerCommand;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.SpendingLimit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the config's {@code decision} section: the engine and the history and candidate sources,
 * each a name a provider on the class path must serve; the heuristics' settings and checkers; and
 * the agent engine's planning agent, budget and task count; every problem with its JSON path.
 */
final class DecisionReader {
  private final Problems problems;
  private final ConfigReader.KnownNames known;
  private final Set<String> configuredAgents;

  /**
   * Reads names against {@code known}, agents against the built-in and {@code configuredAgents}.
   */
  DecisionReader(Problems problems, ConfigReader.KnownNames known, Set<String> configuredAgents) {
    this.problems = problems;
    this.known = known;
    this.configuredAgents = configuredAgents;
  }

  /** The decision settings of {@code root}; the defaults when it has none. */
  DecisionSettings read(JsonObject root) {
    return root.object("decision").map(this::decision).orElse(DecisionSettings.defaults());
  }

  private DecisionSettings decision(JsonObject d) {
    DecisionSettings defaults = DecisionSettings.defaults();
    String engine = d.string("engine").orElse(defaults.engine());
    knownName(d.pathOf("engine"), "decision engine", engine, known.decisionEngines());
    int lookback =
        d.integer("lookback_days", 1, 365, "between 1 and 365")
            .map(Long::intValue)
            .orElse(defaults.lookbackDays());
    int threshold =
        d.integer("refactor_threshold", 1, 1000, "between 1 and 1000")
            .map(Long::intValue)
            .orElse(defaults.refactorThreshold());
    List<String> sources =
        d.has("history_sources") ? d.strings("history_sources") : defaults.historySources();
    for (int i = 0; i < sources.size(); i++) {
      knownName(
          d.pathOf("history_sources") + "/" + i,
          "history source",
          sources.get(i),
          known.historySources());
    }
    List<String> candidateSources = d.has("sources") ? d.strings("sources") : List.of();
    for (int i = 0; i < candidateSources.size(); i++) {
      knownName(
          d.pathOf("sources") + "/" + i,
          "candidate source",
          candidateSources.get(i),
          known.candidateSources());
    }
    Optional<String> coverage = d.string("coverage_command");
    if (coverage.isPresent() && coverage.get().isBlank()) {
      problems.add(d.pathOf("coverage_command"), "must not be empty");
      coverage = Optional.empty();
    }
    List<CheckerCommand> checkers = d.list("checkers", this::checker);
    int recent =
        d.integer("recent_commits", 1, 100_000, "between 1 and 100000")
            .map(Long::intValue)
            .orElse(DecisionSettings.DEFAULT_RECENT_COMMITS);
    AgentPlanning planning = planning(d, engine);
    d.finish();
    return new DecisionSettings(
        engine,
        lookback,
        threshold,
        sources,
        candidateSources,
        coverage,
        checkers,
        recent,
        planning);
  }

  /** {@code decision.agent}, {@code decision.planning_budget} and {@code max_planned_tasks}. */
  private AgentPlanning planning(JsonObject d, String engine) {
    AgentPlanning defaults = AgentPlanning.defaults();
    Optional<String> agent = d.string("agent");
    Set<String> known = AgentIds.known(configuredAgents);
    agent.ifPresent(a -> AgentIds.check(problems, d.pathOf("agent"), a, known));
    if (agent.isEmpty() && engine.equals(DecisionSettings.AGENT_ENGINE)) {
      problems.add(
          d.pathOf("agent"),
          "the agent engine needs an agent to plan with: name one of " + String.join(", ", known));
    }
    SpendingLimit budget =
        d.object("planning_budget")
            .map(LimitsReader::spending)
            .map(
                b ->
                    b.agentSeconds().isPresent()
                        ? b
                        : new SpendingLimit(
                            b.tokens(), b.costUsd(), defaults.budget().agentSeconds()))
            .orElse(defaults.budget());
    int maxTasks =
        d.integer(
                "max_planned_tasks",
                1,
                AgentPlanning.MAX_TASKS,
                "between 1 and " + AgentPlanning.MAX_TASKS)
            .map(Long::intValue)
            .orElse(defaults.maxTasks());
    return new AgentPlanning(agent, budget, maxTasks);
  }

  private CheckerCommand checker(JsonNode node, String path) {
    if (!node.isObject()) {
      problems.add(path, "expected an object but found " + JsonObject.describe(node));
      return null;
    }
    JsonObject c = new JsonObject(node, path, problems);
    Optional<String> name = nonBlank(c, "name");
    Optional<String> command = nonBlank(c, "command");
    c.finish();
    if (name.isEmpty() || command.isEmpty()) {
      return null;
    }
    return new CheckerCommand(name.get(), command.get());
  }

  private Optional<String> nonBlank(JsonObject o, String key) {
    Optional<String> v = o.requiredString(key);
    if (v.isPresent() && v.get().isBlank()) {
      problems.add(o.pathOf(key), "must not be empty");
      return Optional.empty();
    }
    return v;
  }

  /** A name a plugin must serve: unknown ones get a "did you mean" and the list of known ones. */
  private void knownName(String path, String kind, String name, Set<String> names) {
    if (names.contains(name)) {
      return;
    }
    problems.add(
        path,
        "unknown "
            + kind
            + " \""
            + name
            + "\""
            + Suggestions.didYouMean(name, names)
            + " (known: "
            + (names.isEmpty() ? "none on the class path" : String.join(", ", names))
            + ")");
  }
}
