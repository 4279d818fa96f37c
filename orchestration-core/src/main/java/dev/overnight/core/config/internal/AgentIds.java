package dev.overnight.core.config.internal;

import dev.overnight.api.agent.BuiltInAgents;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Agent ids in a config: their form, and the ids a config may name. Stateless. */
final class AgentIds {
  /** An agent id (also a checker's name): lower-case letters, digits, '_' or '-'. */
  static final Pattern PATTERN = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");

  private AgentIds() {}

  /** The agents a config may name: the built-in ones and those it configures, sorted. */
  static Set<String> known(Set<String> configured) {
    Set<String> known = new TreeSet<>(BuiltInAgents.IDS);
    known.addAll(configured);
    return known;
  }

  /** Records a problem at {@code path} when {@code agentId} is not {@code known}. */
  static void check(Problems problems, String path, String agentId, Set<String> known) {
    if (!known.contains(agentId)) {
      problems.add(
          path,
          "unknown agent \""
              + agentId
              + "\""
              + Suggestions.didYouMean(agentId, known)
              + " (known: "
              + String.join(", ", known)
              + "; add others under \"agents\")");
    }
  }
}
