package dev.overnight.acp.internal;

import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.api.agent.SessionRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an agent process is started with: the worktree it is confined to, its environment and its
 * command line, with the executable found on PATH. Immutable; preparing one reads the file system.
 *
 * @param confinement the worktree, where the agent runs and which its requests may not leave
 * @param environment the agent's environment: the inherited one with every addition
 * @param argv the command line, the executable as an absolute path
 */
record AgentLaunch(Confinement confinement, Map<String, String> environment, List<String> argv) {

  /** Validates and copies the components; the environment may hold anything a process has. */
  AgentLaunch {
    Objects.requireNonNull(confinement, "confinement");
    environment = Collections.unmodifiableMap(new HashMap<>(environment));
    argv = List.copyOf(argv);
  }

  /**
   * Prepares the launch of the provider's agent for a request.
   *
   * @throws AgentException if the request's working directory is not a usable directory
   * @throws AgentUnavailableException if the agent's executable is not found
   */
  static AgentLaunch prepare(ProviderSettings settings, SessionRequest request) {
    Path worktree = request.workingDirectory();
    if (!Files.isDirectory(worktree)) {
      throw new AgentException(
          settings.id() + ": the working directory " + worktree + " is not a directory");
    }
    Confinement confinement;
    try {
      confinement = new Confinement(worktree);
    } catch (IOException e) {
      throw new AgentException(settings.id() + ": cannot resolve " + worktree + ": " + e, e);
    }
    Map<String, String> env = environment(settings, request);
    return new AgentLaunch(confinement, env, command(settings, env));
  }

  /** The inherited environment plus the provider's, the config's and the request's additions. */
  static Map<String, String> environment(ProviderSettings settings, SessionRequest request) {
    Map<String, String> env = new HashMap<>(settings.baseEnvironment());
    env.putAll(settings.environment());
    if (request != null) {
      env.putAll(request.environment());
    }
    return env;
  }

  /**
   * The command line to run, with its executable found on PATH: the configured command, else the
   * first of the profile's default commands that is installed.
   *
   * @throws AgentUnavailableException if no such executable is found, with how to install one
   */
  static List<String> command(ProviderSettings settings, Map<String, String> env) {
    if (settings.command().isPresent()) {
      List<String> cmd = settings.command().get();
      Optional<Path> exe = CommandLocator.find(cmd.get(0), env);
      if (exe.isEmpty()) {
        throw new AgentUnavailableException(
            settings.id()
                + ": command not found: "
                + cmd.get(0)
                + " ("
                + settings.profile().installHint()
                + ")");
      }
      List<String> argv = new ArrayList<>(cmd);
      argv.set(0, exe.get().toString());
      return argv;
    }
    for (List<String> candidate : settings.profile().defaultCommands()) {
      Optional<Path> exe = CommandLocator.find(candidate.get(0), env);
      if (exe.isPresent()) {
        List<String> argv = new ArrayList<>(candidate);
        argv.set(0, exe.get().toString());
        return argv;
      }
    }
    throw new AgentUnavailableException(
        settings.id()
            + ": command not found: "
            + settings.profile().defaultCommands().stream()
                .map(c -> c.get(0))
                .collect(Collectors.joining(" or "))
            + " is not on PATH ("
            + settings.profile().installHint()
            + ")");
  }
}
