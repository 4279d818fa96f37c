package dev.overnight.api.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start an agent that speaks the Agent Client Protocol over stdio: the {@code agents}
 * section maps an id to one of these. An entry with a built-in id ({@code claude-code}, {@code
 * codex}, {@code gemini}) replaces that agent's default command.
 *
 * @param command the executable (a name looked up on {@code PATH}, or a path)
 * @param args its arguments
 * @param env variables added to the inherited environment
 * @param mode the session mode to switch to after {@code session/new}, if any
 * @since 0.1.0
 */
public record AgentCommand(
    ConfigValue command, List<String> args, Map<String, String> env, Optional<String> mode) {

  /** Validates and copies the components. */
  public AgentCommand {
    Objects.requireNonNull(command, "command");
    args = List.copyOf(args);
    env = Map.copyOf(env);
    Objects.requireNonNull(mode, "mode");
  }
}
