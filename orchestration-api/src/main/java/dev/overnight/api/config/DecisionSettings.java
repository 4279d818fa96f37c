package dev.overnight.api.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which decision engine chooses the night's work, and the tuning of its inputs.
 *
 * @param engine the decision engine, by the name its provider serves ({@code heuristic} unless the
 *     config names another)
 * @param lookbackDays how far back git and session history are read
 * @param refactorThreshold a file touched more often than this (with a refactor intent) becomes a
 *     refactoring task
 * @param historySources which session histories to read, by the names their providers serve: the
 *     built-in {@code overnight}, {@code claude-code} and {@code codex}, or a plugin's
 * @param sources which candidate sources to use, by the names their providers serve; empty means
 *     every source found
 * @param coverageCommand a command that writes a coverage report (JaCoCo XML, Cobertura or
 *     coverage.py XML, lcov, a Go cover profile) into the workspace, run before reports are looked
 *     for
 * @param checkers the repository's own checkers, whose findings in hot files become candidates
 * @param recentCommits how many of the most recent commits to read when the lookback holds none
 * @param planning how the {@code agent} engine plans: its agent, budget and plan size
 * @since 0.1.0
 */
public record DecisionSettings(
    String engine,
    int lookbackDays,
    int refactorThreshold,
    List<String> historySources,
    List<String> sources,
    Optional<String> coverageCommand,
    List<CheckerCommand> checkers,
    int recentCommits,
    AgentPlanning planning) {

  /** How many recent commits a quiet repository is judged by, unless configured. */
  public static final int DEFAULT_RECENT_COMMITS = 200;

  /** The decision engine used unless the config names another. */
  public static final String DEFAULT_ENGINE = "evidence";

  /** The name of the engine that asks an agent for the plan ({@code decision.agent}). */
  public static final String AGENT_ENGINE = "agent";

  /** The history sources Overnight itself provides, and reads by default. */
  public static final List<String> KNOWN_SOURCES = List.of("overnight", "claude-code", "codex");

  /** Validates and copies the components. */
  public DecisionSettings {
    Objects.requireNonNull(engine, "engine");
    historySources = List.copyOf(historySources);
    sources = List.copyOf(sources);
    Objects.requireNonNull(coverageCommand, "coverageCommand");
    checkers = List.copyOf(checkers);
    if (recentCommits < 1) {
      throw new IllegalArgumentException("recentCommits must be positive, was " + recentCommits);
    }
    Objects.requireNonNull(planning, "planning");
  }

  /** Settings with the default {@linkplain AgentPlanning#defaults() agent planning}. */
  public DecisionSettings(
      String engine,
      int lookbackDays,
      int refactorThreshold,
      List<String> historySources,
      List<String> sources,
      Optional<String> coverageCommand,
      List<CheckerCommand> checkers,
      int recentCommits) {
    this(
        engine,
        lookbackDays,
        refactorThreshold,
        historySources,
        sources,
        coverageCommand,
        checkers,
        recentCommits,
        AgentPlanning.defaults());
  }

  /** Settings without candidate-source tuning: every source, no commands, 200 recent commits. */
  public DecisionSettings(
      String engine, int lookbackDays, int refactorThreshold, List<String> historySources) {
    this(
        engine,
        lookbackDays,
        refactorThreshold,
        historySources,
        List.of(),
        Optional.empty(),
        List.of(),
        DEFAULT_RECENT_COMMITS);
  }

  /** Settings for the default engine. */
  public DecisionSettings(int lookbackDays, int refactorThreshold, List<String> historySources) {
    this(DEFAULT_ENGINE, lookbackDays, refactorThreshold, historySources);
  }

  /** These settings with another engine, e.g. for one {@code overnight plan --engine} run. */
  public DecisionSettings withEngine(String name) {
    return new DecisionSettings(
        name,
        lookbackDays,
        refactorThreshold,
        historySources,
        sources,
        coverageCommand,
        checkers,
        recentCommits,
        planning);
  }

  /** The heuristic engine, 30 days, more than 20 touches, every built-in history. */
  public static DecisionSettings defaults() {
    return new DecisionSettings(30, 20, KNOWN_SOURCES);
  }
}
