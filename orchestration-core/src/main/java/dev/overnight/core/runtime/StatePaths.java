package dev.overnight.core.runtime;

import dev.overnight.api.config.OrchestrationConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one configuration's state lives: the database, worktrees, transcripts, reports, the
 * daemon's lock, the running agents' process groups and the dashboard token, all under one folder.
 *
 * <p>The folder is, in order: the one given on the command line ({@code --state-dir}), the config's
 * {@code state_dir}, or a per-user folder named after the config's id — {@code
 * ~/Library/Application Support/Overnight/<id>} on macOS, {@code $XDG_STATE_HOME/overnight/<id>}
 * (default {@code ~/.local/state/overnight/<id>}) elsewhere.
 *
 * @param root the state folder
 * @since 0.1.0
 */
public record StatePaths(Path root) {

  /** Validates the folder. */
  public StatePaths {
    Objects.requireNonNull(root, "root");
    root = root.toAbsolutePath().normalize();
  }

  /** The state folder for a configuration, as the class documentation says. */
  public static StatePaths of(Optional<Path> explicit, OrchestrationConfig config) {
    return of(
        explicit,
        config,
        System.getenv(),
        System.getProperty("os.name", ""),
        Path.of(System.getProperty("user.home", ".")));
  }

  /** The same, with the environment, operating system and home folder given (for tests). */
  public static StatePaths of(
      Optional<Path> explicit,
      OrchestrationConfig config,
      Map<String, String> environment,
      String osName,
      Path home) {
    if (explicit.isPresent()) {
      return new StatePaths(explicit.get());
    }
    if (config.stateDir().isPresent()) {
      return new StatePaths(config.stateDir().get().path());
    }
    return new StatePaths(userBase(environment, osName, home).resolve(config.id()));
  }

  /** The per-user folder all configurations' state folders go in by default. */
  public static Path userBase(Map<String, String> environment, String osName, Path home) {
    if (osName.toLowerCase(Locale.ROOT).startsWith("mac")) {
      return home.resolve("Library/Application Support/Overnight");
    }
    String xdg = environment.get("XDG_STATE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/state");
    return base.resolve("overnight");
  }

  /** The SQLite database: queue, scheduler state and cycle history. */
  public Path database() {
    return root.resolve("overnight.db");
  }

  /** Where task worktrees are created. */
  public Path worktrees() {
    return root.resolve("worktrees");
  }

  /** Where session transcripts are written. */
  public Path transcripts() {
    return root.resolve("transcripts");
  }

  /** Where morning reports are written. */
  public Path reports() {
    return root.resolve("reports");
  }

  /**
   * The file a daemon writes when it starts: which configuration (id and workspace) the folder
   * belongs to, its pid and its dashboard's address.
   */
  public Path daemonInfo() {
    return root.resolve("daemon.json");
  }

  /** Where the agent process groups Overnight started are recorded while they run. */
  public Path processes() {
    return root.resolve("processes");
  }

  /** The file a running daemon holds locked, with its pid inside. */
  public Path daemonLock() {
    return root.resolve("daemon.lock");
  }

  /**
   * The installed pipelines: the catalog file, their pinned manifests and the git cache they are
   * fetched into.
   */
  public Path catalog() {
    return root.resolve("catalog");
  }

  /** The key manifests are published to the Nostr catalog under, owner-only. */
  public Path nostrKey() {
    return root.resolve("nostr").resolve("key");
  }

  /** Which night alarms the notifiers were told, so that a restart does not tell them again. */
  public Path toldAlarms() {
    return root.resolve("told-alarms");
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
