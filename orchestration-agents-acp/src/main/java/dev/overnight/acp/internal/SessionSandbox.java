package dev.overnight.acp.internal;

import dev.overnight.api.agent.AgentUnavailableException;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.SandboxChoice;
import dev.overnight.core.sandbox.SandboxProfile;
import dev.overnight.core.sandbox.SecretPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one session's commands run in: the commands of the client's terminals, and the agent's own
 * process when the agent runs commands itself. Both see the worktree writable (with what git needs
 * to commit on its branch), the rest of the machine read-only, a private {@code /tmp}, and neither
 * the user's secrets, nor Overnight's state (database, dashboard token, other worktrees,
 * transcripts), nor what the request hides. Terminals have no network unless the config allows it;
 * the agent's process keeps it (it talks to its service) and may write its own folders.
 *
 * <p>Immutable and thread-safe; {@link #terminalCommand} reads the file system.
 */
final class SessionSandbox {
  private static final Logger LOG = LoggerFactory.getLogger(SessionSandbox.class);

  private final Sandbox sandbox;
  private final boolean confineAgent;
  private final SandboxProfile terminals;
  private final SandboxProfile agent;
  private final Map<String, String> agentEnvironment;

  private SessionSandbox(
      Sandbox sandbox,
      boolean confineAgent,
      SandboxProfile terminals,
      SandboxProfile agent,
      Map<String, String> agentEnvironment) {
    this.sandbox = sandbox;
    this.confineAgent = confineAgent;
    this.terminals = terminals;
    this.agent = agent;
    this.agentEnvironment = Map.copyOf(agentEnvironment);
  }

  /**
   * The sandbox of a session of the provider's agent in {@code worktree}, for an agent with
   * environment {@code env}.
   *
   * @throws AgentUnavailableException if a sandbox is required and none can be used here
   */
  static SessionSandbox prepare(
      ProviderSettings settings, SessionRequest request, Path worktree, Map<String, String> env) {
    SandboxChoice choice = settings.sandbox().choice();
    if (choice.refuses()) {
      throw new AgentUnavailableException(settings.id() + ": " + choice.availability().toString());
    }
    choice.warning().ifPresent(w -> LOG.warn("{}: {}", settings.id(), w));
    if (!choice.confines()) {
      return unconfined(worktree);
    }
    WorktreeGit git = WorktreeGit.of(worktree);
    SandboxProfile terminals =
        SandboxProfile.builder(worktree)
            .writable(worktree)
            .writable(git.writable())
            .readable(git.readable())
            .hidden(hidden(settings, request, env))
            .network(settings.sandbox().allowNetwork())
            .build();
    SandboxNeeds needs = settings.profile().sandbox();
    if (!settings.sandbox().confineAgentProcess().orElse(needs.runsCommands())) {
      return new SessionSandbox(choice.sandbox(), false, terminals, terminals, Map.of());
    }
    return new SessionSandbox(
        choice.sandbox(),
        true,
        terminals,
        agentProfile(terminals, needs, settings.sandbox().agentFolders(), env),
        needs.environment());
  }

  /**
   * What no command of the session sees: what the request and the provider hide, the transcripts,
   * and in each home folder the user's secrets and Overnight's per-user state.
   */
  private static List<Path> hidden(
      ProviderSettings settings, SessionRequest request, Map<String, String> env) {
    List<Path> hidden = new ArrayList<>(request.hiddenPaths());
    hidden.addAll(settings.sandbox().hiddenPaths());
    request.transcriptDirectory().ifPresent(hidden::add);
    for (Path home : homes(env)) {
      hidden.addAll(SecretPaths.under(home));
      hidden.add(StatePaths.userBase(env, System.getProperty("os.name", ""), home));
    }
    return hidden;
  }

  /**
   * The agent's own process: as a terminal, plus the network, its own folders writable (made when
   * missing, as the sandbox shows only what exists) with the settings in them it acts on read-only,
   * and room for a sandbox of its own if it builds one.
   */
  private static SandboxProfile agentProfile(
      SandboxProfile terminals,
      SandboxNeeds needs,
      List<Path> extraFolders,
      Map<String, String> env) {
    List<SandboxNeeds.Place> places = new ArrayList<>(needs.places(env));
    extraFolders.forEach(f -> places.add(new SandboxNeeds.Place(f, true)));
    List<Path> folders = new ArrayList<>();
    List<Path> settingsFiles = new ArrayList<>();
    for (SandboxNeeds.Place place : places) {
      folders.add(place.path());
      if (place.folder()) {
        createFolder(place.path());
      }
      for (String name : needs.protectedNames()) {
        Path p = place.path().resolve(name);
        if (Files.exists(p)) {
          settingsFiles.add(p);
        }
      }
    }
    return terminals.toBuilder()
        .writable(folders)
        .readable(settingsFiles)
        .network(true)
        .nestedSandboxes(needs.ownSandbox())
        .build();
  }

  /** Runs everything unconfined: for tests of the parts around the sandbox. */
  static SessionSandbox unconfined(Path worktree) {
    SandboxProfile p = SandboxProfile.builder(worktree).writable(worktree).build();
    return new SessionSandbox(Sandbox.unconfined(), false, p, p, Map.of());
  }

  /** The command line that starts the agent: in the sandbox if the agent runs commands itself. */
  List<String> agentCommand(List<String> argv) {
    return confineAgent ? sandbox.wrap(argv, agent) : List.copyOf(argv);
  }

  /** Variables the agent's process gets on top of its environment. */
  Map<String, String> agentEnvironment() {
    return agentEnvironment;
  }

  /** The command line that runs a terminal's command, starting in {@code cwd}. */
  List<String> terminalCommand(List<String> argv, Path cwd) {
    return sandbox.wrap(argv, terminals.toBuilder().workingDirectory(cwd).build());
  }

  /** Whether the agent's own process runs in the sandbox. */
  boolean confinesAgent() {
    return confineAgent;
  }

  /** The sandbox commands run in. */
  Sandbox sandbox() {
    return sandbox;
  }

  /** The home folders whose secrets are hidden: the agent's and this process's user's. */
  private static List<Path> homes(Map<String, String> env) {
    List<Path> homes = new ArrayList<>();
    Optional.ofNullable(env.get("HOME"))
        .filter(h -> !h.isBlank())
        .map(Path::of)
        .ifPresent(homes::add);
    Path user = Path.of(System.getProperty("user.home", "/"));
    if (!homes.contains(user)) {
      homes.add(user);
    }
    return homes;
  }

  /** Makes a folder the agent writes in: the sandbox can only show paths that exist. */
  private static void createFolder(Path folder) {
    if (Files.exists(folder)) {
      return;
    }
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      LOG.debug("cannot create {}: {}", folder, e.toString());
    }
  }
}
