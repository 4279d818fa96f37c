package dev.overnight.api.config;

import java.util.List;
import java.util.Objects;

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
 * @since 0.1.0
 */
public record DecisionSettings(
    String engine, int lookbackDays, int refactorThreshold, List<String> historySources) {

  /** The decision engine used unless the config names another. */
  public static final String DEFAULT_ENGINE = "heuristic";

  /** The history sources Overnight itself provides, and reads by default. */
  public static final List<String> KNOWN_SOURCES = List.of("overnight", "claude-code", "codex");

  /** Validates and copies the components. */
  public DecisionSettings {
    Objects.requireNonNull(engine, "engine");
    historySources = List.copyOf(historySources);
  }

  /** Settings for the default engine. */
  public DecisionSettings(int lookbackDays, int refactorThreshold, List<String> historySources) {
    this(DEFAULT_ENGINE, lookbackDays, refactorThreshold, historySources);
  }

  /** The heuristic engine, 30 days, more than 20 touches, every built-in history. */
  public static DecisionSettings defaults() {
    return new DecisionSettings(30, 20, KNOWN_SOURCES);
  }
}
