package dev.overnight.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a provider (an agent, a platform checker, keep-awake) can be used here, and if not, why
 * and how to fix it.
 *
 * @param available whether the provider can be used now
 * @param reason what was found, e.g. {@code "claude-agent-acp found at /usr/bin/claude-agent-acp"}
 *     or {@code "command not found: codex-acp"}
 * @param remedy what the user can do about it, when not available
 * @since 0.1.0
 */
public record Availability(boolean available, String reason, Optional<String> remedy) {

  /** Validates the components. */
  public Availability {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(remedy, "remedy");
  }

  /** An available provider, with what was found. */
  public static Availability available(String reason) {
    return new Availability(true, reason, Optional.empty());
  }

  /** An unavailable provider, with the reason and the fix. */
  public static Availability unavailable(String reason, String remedy) {
    return new Availability(false, reason, Optional.of(remedy));
  }

  /** Renders {@code reason} plus, when unavailable, the remedy. */
  @Override
  public String toString() {
    return available ? reason : reason + remedy.map(r -> " (" + r + ")").orElse("");
  }
}
