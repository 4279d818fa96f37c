package dev.overnight.api.config;

import java.util.List;

/**
 * Tuning of the decision engine's inputs.
 *
 * @param lookbackDays how far back git and session history are read
 * @param refactorThreshold a file touched more often than this (with a refactor intent) becomes a
 *     refactoring task
 * @param historySources which session histories to read: {@code overnight}, {@code claude-code},
 *     {@code codex}
 */
public record DecisionSettings(
    int lookbackDays, int refactorThreshold, List<String> historySources) {

  /** The history sources Overnight can read. */
  public static final List<String> KNOWN_SOURCES = List.of("overnight", "claude-code", "codex");

  /** Copies the list. */
  public DecisionSettings {
    historySources = List.copyOf(historySources);
  }

  /** 30 days, more than 20 touches, every known history. */
  public static DecisionSettings defaults() {
    return new DecisionSettings(30, 20, KNOWN_SOURCES);
  }
}
