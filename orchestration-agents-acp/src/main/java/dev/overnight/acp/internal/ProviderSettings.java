package dev.overnight.acp.internal;

import dev.overnight.api.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an ACP provider was configured with; the sessions it opens read it. Immutable.
 *
 * @param id the provider id
 * @param profile what is known about this kind of agent
 * @param command the configured command line, or empty for the profile's defaults
 * @param environment variables added for the agent (config and builder)
 * @param baseEnvironment what the agent inherits (this process's environment unless replaced)
 * @param mode the mode to switch to after start, unless the request names one
 * @param turnTimeout the most one turn may take before it is cancelled
 * @param silenceTimeout the longest an agent may stay silent during a turn before it is cancelled
 * @param maxLineBytes the longest message accepted from the agent
 * @param maxReadBytes the largest file served by {@code fs/read_text_file}
 * @param terminalOutputLimit the most output kept per terminal
 * @param maxTerminals how many terminals may be open at once
 * @param timeSource the clock and timer, or empty for a per-session system timer
 * @param sandbox how sessions are confined
 */
public record ProviderSettings(
    String id,
    AgentProfile profile,
    Optional<List<String>> command,
    Map<String, String> environment,
    Map<String, String> baseEnvironment,
    Optional<String> mode,
    Optional<Duration> turnTimeout,
    Optional<Duration> silenceTimeout,
    int maxLineBytes,
    long maxReadBytes,
    long terminalOutputLimit,
    int maxTerminals,
    Optional<TimeSource> timeSource,
    SandboxSettings sandbox) {

  /** Validates and copies. */
  public ProviderSettings {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(profile, "profile");
    command = command.map(List::copyOf);
    environment = Map.copyOf(environment);
    baseEnvironment = Map.copyOf(baseEnvironment);
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(turnTimeout, "turnTimeout");
    Objects.requireNonNull(silenceTimeout, "silenceTimeout");
    Objects.requireNonNull(timeSource, "timeSource");
    Objects.requireNonNull(sandbox, "sandbox");
  }

  /** The profile of a provider id: built-in knowledge for claude-code, codex, gemini. */
  public static AgentProfile profileFor(String id) {
    return AgentProfile.forId(id);
  }
}
