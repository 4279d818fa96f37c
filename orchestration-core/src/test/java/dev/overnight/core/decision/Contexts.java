package dev.overnight.core.decision;

import dev.overnight.api.Availability;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Focus;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.FileActivity;
import dev.overnight.api.decision.SessionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds decision contexts for tests: every agent available, nothing finished, unless changed. */
final class Contexts {
  static final Instant NOW = Instant.parse("2025-01-20T00:00:00Z");

  OrchestrationConfig.Builder config = OrchestrationConfig.builder(ConfigValue.of("/ws"));
  final List<FileActivity> files = new ArrayList<>();
  final List<SessionRecord> sessions = new ArrayList<>();
  final Map<String, Availability> agents = new HashMap<>();
  final Set<String> withTests = new HashSet<>();
  final Set<String> finished = new HashSet<>();

  Contexts() {
    for (String id : List.of("claude-code", "codex", "gemini")) {
      agents.put(id, Availability.available(id + " found on PATH"));
    }
  }

  static Contexts context() {
    return new Contexts();
  }

  Contexts file(String path, int touches) {
    files.add(new FileActivity(path, touches));
    return this;
  }

  Contexts tested(String path) {
    withTests.add(path);
    return this;
  }

  Contexts prompt(String source, String text) {
    sessions.add(
        new SessionRecord(
            source,
            "s" + sessions.size(),
            Optional.empty(),
            Optional.empty(),
            List.of(text),
            List.of()));
    return this;
  }

  Contexts goals(String... goals) {
    config.goals(List.of(goals));
    return this;
  }

  Contexts prefer(List<String> prefer, List<String> allow) {
    config.agentPreferences(new AgentPreferences(prefer, allow));
    return this;
  }

  Contexts focus(List<String> include, List<String> exclude) {
    config.focus(new Focus(include, exclude));
    return this;
  }

  Contexts budget(int seconds) {
    config.timeBudgetSec(seconds);
    return this;
  }

  Contexts unavailable(String agent) {
    agents.put(agent, Availability.unavailable("command not found: " + agent + "-acp", "npm i"));
    return this;
  }

  Contexts finished(String hash) {
    finished.add(hash);
    return this;
  }

  DecisionContext build() {
    return new DecisionContext(config.build(), files, sessions, agents, withTests, finished, NOW);
  }
}
