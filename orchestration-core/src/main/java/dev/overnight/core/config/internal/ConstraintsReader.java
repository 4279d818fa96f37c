package dev.overnight.core.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.UnknownPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the config's {@code constraints} section: the built-in conditions, the policy for unknown
 * results, the check timeout and recheck interval, and the settings of plugged-in checkers, kept as
 * written for their providers; every problem with its JSON path.
 */
final class ConstraintsReader {
  private final Problems problems;
  private final ObjectMapper mapper;

  ConstraintsReader(Problems problems, ObjectMapper mapper) {
    this.problems = problems;
    this.mapper = mapper;
  }

  /** The constraints of {@code root}; none when it has none. */
  Constraints read(JsonObject root) {
    return root.object("constraints").map(this::constraints).orElse(Constraints.none());
  }

  private Constraints constraints(JsonObject c) {
    boolean plugged = c.bool("plugged_in", false);
    boolean wifi = c.bool("wifi_only", false);
    boolean wired = c.bool("allow_wired", false);
    Optional<Double> cpu = c.number("cpu_max_percentage", 1, 100, "between 1 and 100");
    boolean dnd = c.bool("respect_dnd", false);
    boolean active = c.bool("suspend_if_active", false);
    int idle =
        c.integer("idle_minutes", 1, 1440, "between 1 and 1440 (a day)")
            .map(Long::intValue)
            .orElse(Constraints.DEFAULT_IDLE_MINUTES);
    UnknownPolicy onUnknown =
        c.string("on_unknown")
            .flatMap(
                text -> {
                  Optional<UnknownPolicy> p = UnknownPolicy.parse(text);
                  if (p.isEmpty()) {
                    problems.add(
                        c.pathOf("on_unknown"),
                        "\""
                            + text
                            + "\" is not a policy for unknown results: use \"fail\" or \"pass\"");
                  }
                  return p;
                })
            .orElse(UnknownPolicy.FAIL);
    Duration timeout =
        c.integer("check_timeout_ms", 100, 60_000, "between 100 and 60000 (a minute)")
            .map(Duration::ofMillis)
            .orElse(Constraints.DEFAULT_CHECK_TIMEOUT);
    Duration recheck =
        c.integer("recheck_interval_sec", 10, 3600, "between 10 and 3600 (an hour)")
            .map(Duration::ofSeconds)
            .orElse(Constraints.DEFAULT_RECHECK_INTERVAL);
    Map<String, Object> checkers = new LinkedHashMap<>();
    c.object("checkers")
        .ifPresent(
            k -> {
              for (String name : k.keys()) {
                JsonNode v = k.raw(name).orElse(null);
                if (Constraints.BUILT_IN.contains(name)) {
                  problems.add(
                      k.pathOf(name),
                      "\"" + name + "\" is built in: set it directly under constraints");
                } else if (!AgentIds.PATTERN.matcher(name).matches()) {
                  problems.add(
                      k.pathOf(name),
                      "\""
                          + name
                          + "\" is not a valid checker name: use lower-case letters, digits, '_'"
                          + " or '-'");
                } else if (v != null) {
                  checkers.put(name, mapper.convertValue(v, Object.class));
                }
              }
              k.finish();
            });
    c.finish();
    if (c.has("allow_wired") && wired && !wifi) {
      problems.add(c.pathOf("allow_wired"), "only applies with wifi_only: true");
    }
    return new Constraints(
        plugged, wifi, wired, cpu, dnd, active, idle, onUnknown, timeout, recheck, checkers);
  }
}
