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
 * What an agent process is started with: the worktree it is confined to, its environment, its
 * command line with the executable found on PATH, and the sandbox it and its terminals run in.
 * Immutable; preparing one reads the file system.
 *
 * @param confinement the worktree, where the agent runs and which its requests may not leave
 * @param environment the agent's environment: the inherited one with every addition
 * @param command the agent's command line, the executable as an absolute path
 * @param argv what is started: the command, in the sandbox when the agent runs commands itself
 * @param sandbox what the agent's process and its terminals run in
 */
record AgentLaunch(
    Confinement confinement,
    Map<String, String> environment,
    List<String> command,
    List<String> argv,
    SessionSandbox sandbox) {

  /** Validates and copies the components; the environment may hold anything a process has. */
  AgentLaunch {
    Objects.requireNonNull(confinement, "confinement");
    environment = Collections.unmodifiableMap(new HashMap<>(environment));
    command = List.copyOf(command);
    argv = List.copyOf(argv);
    Objects.requireNonNull(sandbox, "sandbox");
  }

  /**
   * Prepares the launch of the provider's agent for a request.
   *
   * @throws AgentException if the request's working directory is not a usable directory
   * @throws AgentUnavailableException if the agent's executable is not found, or a sandbox is
   *     required and none can be used here
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
    List<String> command = command(settings, env);
    SessionSandbox sandbox = SessionSandbox.prepare(settings, request, confinement.root(), env);
    env.putAll(sandbox.agentEnvironment());
    return new AgentLaunch(confinement, env, command, sandbox.agentCommand(command), sandbox);
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
